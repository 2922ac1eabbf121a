// libvips (Debian libvips-dev) for Swift: the headers, plus inline wrappers for what Swift cannot call directly
// (C macros such as VIPS_INIT and G_TYPE_*, GObject casts, g_signal_connect). No variadic function is used from Swift.
#ifndef STAINKIT_CVIPS_SHIM_H
#define STAINKIT_CVIPS_SHIM_H
#include <vips/vips.h>

static inline GType stainkit_type_int(void) { return G_TYPE_INT; }
static inline GType stainkit_type_double(void) { return G_TYPE_DOUBLE; }
static inline GType stainkit_type_boolean(void) { return G_TYPE_BOOLEAN; }
static inline GType stainkit_type_string(void) { return G_TYPE_STRING; }
static inline GType stainkit_type_image(void) { return VIPS_TYPE_IMAGE; }
static inline GType stainkit_type_array_double(void) { return VIPS_TYPE_ARRAY_DOUBLE; }
static inline GType stainkit_type_array_int(void) { return VIPS_TYPE_ARRAY_INT; }
static inline GType stainkit_type_array_image(void) { return VIPS_TYPE_ARRAY_IMAGE; }
static inline GType stainkit_type_blob(void) { return VIPS_TYPE_BLOB; }
static inline GObject *stainkit_gobject(void *p) { return G_OBJECT(p); }
static inline VipsObject *stainkit_vips_object(void *p) { return VIPS_OBJECT(p); }
#endif
