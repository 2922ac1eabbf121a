// libvips (Debian libvips-dev) for Swift: the headers, plus inline wrappers for what Swift cannot call directly
// (C macros such as VIPS_INIT and G_TYPE_*, GObject casts, variadic vips_error). Static inline functions only.
#ifndef STAINKIT_CVIPS_SHIM_H
#define STAINKIT_CVIPS_SHIM_H
#include <vips/vips.h>

// Start-up (VIPS_INIT also checks that the headers match the library's ABI).
static inline int stainkit_init(const char *argv0) { return VIPS_INIT(argv0); }

// GTypes (G_TYPE_* are macros).
static inline GType stainkit_type_int(void) { return G_TYPE_INT; }
static inline GType stainkit_type_uint(void) { return G_TYPE_UINT; }
static inline GType stainkit_type_int64(void) { return G_TYPE_INT64; }
static inline GType stainkit_type_uint64(void) { return G_TYPE_UINT64; }
static inline GType stainkit_type_double(void) { return G_TYPE_DOUBLE; }
static inline GType stainkit_type_float(void) { return G_TYPE_FLOAT; }
static inline GType stainkit_type_boolean(void) { return G_TYPE_BOOLEAN; }
static inline GType stainkit_type_string(void) { return G_TYPE_STRING; }
static inline GType stainkit_type_enum(void) { return G_TYPE_ENUM; }
static inline GType stainkit_type_flags(void) { return G_TYPE_FLAGS; }
static inline GType stainkit_type_image(void) { return VIPS_TYPE_IMAGE; }
static inline GType stainkit_type_interpolate(void) { return VIPS_TYPE_INTERPOLATE; }
static inline GType stainkit_type_array_double(void) { return VIPS_TYPE_ARRAY_DOUBLE; }
static inline GType stainkit_type_array_int(void) { return VIPS_TYPE_ARRAY_INT; }
static inline GType stainkit_type_array_image(void) { return VIPS_TYPE_ARRAY_IMAGE; }
static inline GType stainkit_type_blob(void) { return VIPS_TYPE_BLOB; }
static inline GType stainkit_type_interpretation(void) { return VIPS_TYPE_INTERPRETATION; }
static inline GType stainkit_type_band_format(void) { return VIPS_TYPE_BAND_FORMAT; }

// Casts and type checks.
static inline GObject *stainkit_gobject(void *p) { return G_OBJECT(p); }
static inline VipsObject *stainkit_vips_object(void *p) { return VIPS_OBJECT(p); }
static inline VipsImage *stainkit_vips_image(void *p) { return VIPS_IMAGE(p); }
static inline GObjectClass *stainkit_object_class(void *p) { return G_OBJECT_GET_CLASS(p); }
static inline gboolean stainkit_is_image(void *p) { return VIPS_IS_IMAGE(p); }
static inline gboolean stainkit_type_is_a(GType type, GType ancestor) { return g_type_is_a(type, ancestor); }

// vips_error is variadic: report a plain message.
static inline void stainkit_error(const char *domain, const char *message) {
    vips_error(domain, "%s", message);
}

// Region pixel access (VIPS_REGION_ADDR / VIPS_REGION_LSKIP are macros).
static inline VipsPel *stainkit_region_addr(VipsRegion *region, int x, int y) {
    return VIPS_REGION_ADDR(region, x, y);
}
static inline size_t stainkit_region_lskip(VipsRegion *region) { return VIPS_REGION_LSKIP(region); }
static inline VipsRect stainkit_region_valid(VipsRegion *region) { return region->valid; }

// Progress: connect a typed "eval" handler (g_signal_connect is a macro, G_CALLBACK a cast).
typedef void (*StainkitEvalCallback)(VipsImage *image, VipsProgress *progress, void *data);
static inline gulong stainkit_connect_eval(VipsImage *image, StainkitEvalCallback callback, void *data,
                                           GClosureNotify destroy) {
    return g_signal_connect_data(image, "eval", G_CALLBACK(callback), data, destroy, (GConnectFlags) 0);
}
#endif
