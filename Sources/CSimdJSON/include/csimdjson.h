#ifndef PEERLENS_CSIMDJSON_H
#define PEERLENS_CSIMDJSON_H
// A minimal C API over simdjson's DOM parser, so Swift can parse JSON Lines
// records without C++ interop. A parsed document is flattened into an array of
// csj_value: element 0 is the root; the children of an array or object are
// stored contiguously starting at `first`.

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct csj_parser csj_parser;

enum csj_kind {
    CSJ_NULL = 0,
    CSJ_BOOL = 1,
    CSJ_NUMBER = 2,
    CSJ_STRING = 3,
    CSJ_ARRAY = 4,
    CSJ_OBJECT = 5
};

typedef struct csj_value {
    int32_t kind;           /* enum csj_kind */
    int32_t count;          /* children of an array or object */
    int32_t first;          /* index of the first child */
    int32_t boolean;        /* CSJ_BOOL: 0 or 1 */
    double number;          /* CSJ_NUMBER */
    int32_t is_integer;     /* CSJ_NUMBER: written without fraction or exponent */
    int32_t key_len;        /* object member: length of its key */
    const char *key;        /* object member: its key (UTF-8, not NUL-terminated) */
    const char *str;        /* CSJ_STRING: UTF-8, not NUL-terminated */
    size_t str_len;
} csj_value;

/// Allocates a parser; NULL when out of memory. Free it with csj_parser_free.
csj_parser *csj_parser_new(void);
void csj_parser_free(csj_parser *parser);

/// Bytes that must be readable after the end of every buffer passed to csj_parse.
size_t csj_padding(void);

/// Parses the JSON document buf[0..<len). At least csj_padding() readable bytes
/// must follow buf + len. Returns 0 on success, setting *values and *count (valid
/// until the next call on this parser), or a simdjson error code.
int csj_parse(csj_parser *parser, const char *buf, size_t len, const csj_value **values, size_t *count);

/// Human-readable text for a simdjson error code (static storage).
const char *csj_error_message(int code);

#ifdef __cplusplus
}
#endif

#endif
