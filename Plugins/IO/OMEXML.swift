import Foundation
import Vips

/// The OME-XML a `.ome.tif` carries in its first ImageDescription: one image, its size, bands, pixel type, and
/// physical pixel size in µm (from the image's resolution; left out when it is unknown), so QuPath and
/// Bio-Formats open it at the right scale.
enum OMEXML {
    static func describe(_ image: VipsImage, name: String) -> String {
        let type: String
        switch image.format {
        case .uchar: type = "uint8"
        case .char: type = "int8"
        case .ushort: type = "uint16"
        case .short: type = "int16"
        case .uint: type = "uint32"
        case .int: type = "int32"
        case .double: type = "double"
        default: type = "float"
        }
        // libvips keeps pixels per millimetre, and 1 when the size is unknown.
        var physical = ""
        if image.xres != 1 || image.yres != 1, image.xres > 0, image.yres > 0 {
            physical = String(format: " PhysicalSizeX=\"%.6g\" PhysicalSizeXUnit=\"µm\" PhysicalSizeY=\"%.6g\" "
                              + "PhysicalSizeYUnit=\"µm\"", 1000 / image.xres, 1000 / image.yres)
        }
        let escaped = name.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "\"", with: "&quot;")
            .replacingOccurrences(of: "<", with: "&lt;")
        // RGB is one interleaved channel of 3 samples, the way Bio-Formats reads RGB TIFF.
        let rgb = image.bands == 3
        let channels = rgb
            ? "<Channel ID=\"Channel:0:0\" SamplesPerPixel=\"3\"><LightPath/></Channel>"
            : (0..<image.bands).map { "<Channel ID=\"Channel:0:\($0)\" SamplesPerPixel=\"1\"><LightPath/></Channel>" }.joined()
        return """
            <?xml version="1.0" encoding="UTF-8"?>\
            <OME xmlns="http://www.openmicroscopy.org/Schemas/OME/2016-06" \
            xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" \
            xsi:schemaLocation="http://www.openmicroscopy.org/Schemas/OME/2016-06 \
            http://www.openmicroscopy.org/Schemas/OME/2016-06/ome.xsd" Creator="StainKit">\
            <Image ID="Image:0" Name="\(escaped)">\
            <Pixels ID="Pixels:0" DimensionOrder="XYCZT" Type="\(type)" SizeX="\(image.width)" SizeY="\(image.height)" \
            SizeC="\(image.bands)" SizeZ="1" SizeT="1" Interleaved="\(rgb)"\(physical)>\
            \(channels)<TiffData IFD="0" PlaneCount="1"/></Pixels></Image></OME>
            """
    }
}
