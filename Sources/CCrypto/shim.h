// OpenSSL's libcrypto (Debian libssl-dev) for Swift: only the EVP digest interface, used for SHA-256 provenance
// hashes. The system library uses the CPU's SHA extensions, and costs nothing to build.
#ifndef STAINKIT_CCRYPTO_SHIM_H
#define STAINKIT_CCRYPTO_SHIM_H
#include <openssl/evp.h>
#endif
