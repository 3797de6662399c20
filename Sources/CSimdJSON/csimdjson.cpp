#include "csimdjson.h"

#include <simdjson.h>
#include <new>
#include <vector>

struct csj_parser {
    simdjson::dom::parser parser;
    std::vector<csj_value> values;
};

extern "C" csj_parser *csj_parser_new(void) {
    return new (std::nothrow) csj_parser();
}

extern "C" void csj_parser_free(csj_parser *parser) { delete parser; }

extern "C" size_t csj_padding(void) { return simdjson::SIMDJSON_PADDING; }

extern "C" const char *csj_error_message(int code) {
    return simdjson::error_message(static_cast<simdjson::error_code>(code));
}

namespace {

void fill(std::vector<csj_value> &out, size_t slot, simdjson::dom::element element) {
    csj_value v{};
    switch (element.type()) {
    case simdjson::dom::element_type::NULL_VALUE:
        v.kind = CSJ_NULL;
        break;
    case simdjson::dom::element_type::BOOL:
        v.kind = CSJ_BOOL;
        v.boolean = element.get_bool().value_unsafe() ? 1 : 0;
        break;
    case simdjson::dom::element_type::INT64:
        v.kind = CSJ_NUMBER;
        v.is_integer = 1;
        v.number = static_cast<double>(element.get_int64().value_unsafe());
        break;
    case simdjson::dom::element_type::UINT64:
        v.kind = CSJ_NUMBER;
        v.is_integer = 1;
        v.number = static_cast<double>(element.get_uint64().value_unsafe());
        break;
    case simdjson::dom::element_type::DOUBLE:
        v.kind = CSJ_NUMBER;
        v.number = element.get_double().value_unsafe();
        break;
    case simdjson::dom::element_type::STRING: {
        v.kind = CSJ_STRING;
        std::string_view s = element.get_string().value_unsafe();
        v.str = s.data();
        v.str_len = s.size();
        break;
    }
    case simdjson::dom::element_type::ARRAY: {
        simdjson::dom::array array = element.get_array().value_unsafe();
        v.kind = CSJ_ARRAY;
        v.count = static_cast<int32_t>(array.size());
        v.first = static_cast<int32_t>(out.size());
        out.resize(out.size() + v.count);
        out[slot] = v;
        size_t i = 0;
        for (simdjson::dom::element child : array) { fill(out, v.first + i, child); ++i; }
        return;
    }
    case simdjson::dom::element_type::OBJECT: {
        simdjson::dom::object object = element.get_object().value_unsafe();
        v.kind = CSJ_OBJECT;
        v.count = static_cast<int32_t>(object.size());
        v.first = static_cast<int32_t>(out.size());
        out.resize(out.size() + v.count);
        out[slot] = v;
        size_t i = 0;
        for (simdjson::dom::key_value_pair field : object) {
            size_t child = v.first + i;
            fill(out, child, field.value);
            out[child].key = field.key.data();
            out[child].key_len = static_cast<int32_t>(field.key.size());
            ++i;
        }
        return;
    }
    }
    out[slot] = v;
}

} // namespace

extern "C" int csj_parse(csj_parser *p, const char *buf, size_t len, const csj_value **values, size_t *count) {
    simdjson::dom::element root;
    auto error = p->parser.parse(buf, len, false).get(root);
    if (error) { return static_cast<int>(error); }
    p->values.clear();
    p->values.resize(1);
    fill(p->values, 0, root);
    *values = p->values.data();
    *count = p->values.size();
    return 0;
}
