package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/fprlink/fprlink/internal/apperr"
	"github.com/fprlink/fprlink/internal/i18n"
)

// validator is implemented by request types that check themselves after
// decoding; the returned error should be an *apperr.Error naming the field.
type validator interface {
	Validate() error
}

// decode reads a JSON body into v strictly: one object, no unknown fields,
// within the body limit. Errors name the offending field where JSON allows.
// When v implements Validate, it is called too.
func decode(c *gin.Context, v any) error {
	body, err := readBody(c, i18n.T("A JSON request body is required.", "需要 JSON 请求体。"))
	if err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return jsonError(err)
	}
	if dec.More() {
		return apperr.Malformed("malformed_json", "", i18n.T("The body must hold exactly one JSON value.", "请求体只能包含一个 JSON 值。"))
	}
	if val, ok := v.(validator); ok {
		return val.Validate()
	}
	return nil
}

// readBody reads the whole body within the body limit (413 past it); a
// blank body is refused with the empty message.
func readBody(c *gin.Context, empty i18n.Text) ([]byte, error) {
	body, err := io.ReadAll(c.Request.Body)
	if err != nil {
		if isMaxBytes(err) {
			return nil, errBodyTooLarge
		}
		return nil, apperr.Malformed("unreadable_body", "", i18n.T("The request body could not be read.", "无法读取请求体。"))
	}
	if len(bytes.TrimSpace(body)) == 0 {
		return nil, apperr.Malformed("empty_body", "", empty)
	}
	if hasEscapedNUL(body) {
		return nil, apperr.Malformed("invalid_characters", "", i18n.T(
			"Text in the body may not hold the NUL character (\\u0000).", "请求体中的文本不能含有空字符（\\u0000）。"))
	}
	return body, nil
}

// hasEscapedNUL reports whether JSON body holds the escape \u0000, which
// no text of this service may contain (PostgreSQL refuses it in text). A raw
// NUL byte is already a JSON syntax error; an escaped backslash followed by
// "u0000" is ordinary text.
func hasEscapedNUL(body []byte) bool {
	for i := 0; ; {
		j := bytes.Index(body[i:], []byte(`\u0000`))
		if j < 0 {
			return false
		}
		at := i + j
		n := 0 // backslashes ending at the one before "u0000"
		for k := at; k >= 0 && body[k] == '\\'; k-- {
			n++
		}
		if n%2 == 1 {
			return true
		}
		i = at + 1
	}
}

// jsonKindZh names a JSON value's kind as a Chinese reader knows it.
func jsonKindZh(k reflect.Kind) string {
	switch k {
	case reflect.String:
		return "文本"
	case reflect.Bool:
		return "布尔值"
	case reflect.Slice, reflect.Array:
		return "列表"
	case reflect.Map, reflect.Struct:
		return "对象"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "整数"
	case reflect.Float32, reflect.Float64:
		return "数字"
	}
	return "其他类型"
}

func jsonError(err error) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		return apperr.Malformed("malformed_json", "", i18n.T(
			fmt.Sprintf("The body is not valid JSON (at byte %d).", syn.Offset),
			fmt.Sprintf("请求体不是有效的 JSON（第 %d 字节）。", syn.Offset)))
	case errors.As(err, &typ):
		return apperr.Malformed("wrong_type", typ.Field, i18n.T(
			fmt.Sprintf("Field %q must be of JSON type %s.", typ.Field, typ.Type.Kind()),
			"该字段的值类型不正确，应为"+jsonKindZh(typ.Type.Kind())+"。"))
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		field := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return apperr.Malformed("unknown_field", field, i18n.T(
			fmt.Sprintf("Field %q is not part of this request.", field),
			"请求中含有此请求不接受的字段。"))
	case errors.Is(err, io.ErrUnexpectedEOF):
		return apperr.Malformed("malformed_json", "", i18n.T("The JSON body ends too early.", "JSON 请求体不完整。"))
	}
	return apperr.Malformed("malformed_json", "", i18n.T("The body is not valid JSON.", "请求体不是有效的 JSON。"))
}
