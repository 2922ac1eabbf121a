/// The StainKit release, recorded in provenance sidecars.
public enum StainKitVersion {
    public static let current = "0.1.0"
}
