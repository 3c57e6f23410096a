package validate

import (
	"reflect"
	"strings"
	"testing"

	"mobilefactory/shared/record"
)

// validEmployer returns the form of a valid employer, with each field as a
// clerk might type it.
func validEmployer() map[string]string {
	return map[string]string{
		record.FieldTitle:        " 江西洪都数控机械有限公司 ",
		record.FieldCreditCode:   "91350100m000100y43",
		record.FieldRegion:       "南昌市",
		record.FieldIndustry:     "C3411",
		record.FieldNature:       "其他企业",
		record.FieldContact:      "王建国",
		record.FieldContactPhone: "(0791)86123456",
	}
}

func TestEmployerValid(t *testing.T) {
	got, errs := Employer(validEmployer(), nil)
	if len(errs) != 0 {
		t.Fatalf("Employer(valid) errors: %v", errs)
	}
	want := record.Employer{Scope: record.ProvinceScope, Name: "江西洪都数控机械有限公司",
		CreditCode: "91350100M000100Y43", Region: "360100", Industry: "3411", Nature: "39",
		Contact: "王建国", ContactPhone: "0791-86123456"}
	if got != want {
		t.Errorf("Employer(valid)\n got %+v\nwant %+v", got, want)
	}
}

// employerTests change one field of validEmployer and give the error it
// must produce, with the message's arguments.
var employerTests = []struct {
	field, value string
	wantKey      string
	wantArgs     []any
}{
	{record.FieldTitle, "", "validate.employer.name_required", nil},
	{record.FieldTitle, strings.Repeat("企", 101), "validate.employer.too_long", []any{strings.Repeat("企", 101), 101, 100}},
	{record.FieldTitle, "洪都\x01机械", "validate.employer.control_char", []any{"洪都\x01机械"}},
	{record.FieldCreditCode, "", "validate.credit_code.required", nil},
	{record.FieldCreditCode, "91350100M000100Y44", "validate.credit_code.check", []any{"91350100M000100Y44", "3"}},
	{record.FieldRegion, "火星市", "validate.region.unknown", []any{"火星市"}},
	{record.FieldRegion, "999999", "validate.region.unknown", []any{"999999"}},
	{record.FieldRegion, "西湖区", "validate.region.ambiguous", []any{"西湖区", "浙江省杭州市西湖区、江西省南昌市西湖区", 2}},
	{record.FieldIndustry, "D3411", "validate.employer.industry_unknown", []any{"D3411"}},
	{record.FieldIndustry, "机械", "validate.employer.industry_unknown", []any{"机械"}},
	{record.FieldNature, "私企", "validate.employer.nature_unknown", []any{"私企"}},
	{record.FieldNature, "38", "validate.employer.nature_unknown", []any{"38"}},
	{record.FieldContact, strings.Repeat("王", 51), "validate.contact.too_long", []any{strings.Repeat("王", 51), 51, 50}},
	{record.FieldContact, "王\uFFFD", "validate.contact.replacement_char", []any{"王\uFFFD"}},
	{record.FieldContact, "王\x01", "validate.contact.control_char", []any{"王\x01"}},
	{record.FieldContactPhone, "86123456", "validate.contact_phone.area_code", []any{"86123456"}},
	{record.FieldContactPhone, "0791-123", "validate.contact_phone.invalid", []any{"0791-123"}},
	{record.FieldContactPhone, "12345678901", "validate.contact_phone.invalid", []any{"12345678901"}},
	{record.FieldContactPhone, "0101-86123456", "validate.contact_phone.invalid", []any{"0101-86123456"}},
	{record.FieldContactPhone, "0791-06123456", "validate.contact_phone.invalid", []any{"0791-06123456"}},
}

func TestEmployerInvalidField(t *testing.T) {
	for _, tt := range employerTests {
		raw := validEmployer()
		raw[tt.field] = tt.value
		got, errs := Employer(raw, nil)
		if len(errs) != 1 {
			t.Errorf("%s %q: errors %v, want one %s", tt.field, tt.value, errs, tt.wantKey)
			continue
		}
		if errs[0].Field != tt.field || errs[0].Err.Key != tt.wantKey {
			t.Errorf("%s %q: error %s %s, want %s %s", tt.field, tt.value, errs[0].Field, errs[0].Err.Key, tt.field, tt.wantKey)
		}
		if !reflect.DeepEqual(errs[0].Err.Args, tt.wantArgs) {
			t.Errorf("%s %q: args %#v, want %#v", tt.field, tt.value, errs[0].Err.Args, tt.wantArgs)
		}
		if v := got.Fields()[tt.field]; v != "" {
			t.Errorf("%s %q: the failed field is %q in the employer, want empty", tt.field, tt.value, v)
		}
	}
}

func TestEmployerOptionalFields(t *testing.T) {
	raw := validEmployer()
	for _, field := range []string{record.FieldRegion, record.FieldIndustry, record.FieldNature,
		record.FieldContact, record.FieldContactPhone} {
		raw[field] = " "
	}
	got, errs := Employer(raw, nil)
	if len(errs) != 0 {
		t.Fatalf("Employer(optional fields empty) errors: %v", errs)
	}
	if got.Name != "江西洪都数控机械有限公司" || got.Region != "" || got.ContactPhone != "" {
		t.Errorf("Employer(optional fields empty) = %+v", got)
	}
}

func TestEmployerCodeForms(t *testing.T) {
	tests := []struct{ field, in, want string }{
		{record.FieldIndustry, "c", "C"},
		{record.FieldIndustry, "3411", "3411"},
		{record.FieldIndustry, "制造业", "C"},
		{record.FieldNature, "39", "39"},
		{record.FieldNature, "机关", "10"},
		{record.FieldRegion, "360111", "360111"},
	}
	for _, tt := range tests {
		raw := validEmployer()
		raw[tt.field] = tt.in
		got, errs := Employer(raw, nil)
		if len(errs) != 0 {
			t.Errorf("%s %q: errors %v", tt.field, tt.in, errs)
			continue
		}
		if v := got.Fields()[tt.field]; v != tt.want {
			t.Errorf("%s %q = %q, want %q", tt.field, tt.in, v, tt.want)
		}
	}
}

func TestContactPhoneForms(t *testing.T) {
	tests := map[string]string{
		"13807912345":       "13807912345",
		"+86 138 0791 2345": "13807912345",
		"0791-86123456":     "0791-86123456",
		"０７９１－８６１２３４５６": "0791-86123456",
		"0791 86123456":     "0791-86123456",
		"079186123456":      "0791-86123456",
		"01086123456":       "010-86123456",
		"010-8612345":       "010-8612345",
		"(020)38123456":     "020-38123456",
		"0791-86123456-801": "0791-86123456-801",
		"0791-86123456转801": "0791-86123456-801",
	}
	for in, want := range tests {
		got, err := ContactPhone(in)
		if err != nil || got != want {
			t.Errorf("ContactPhone(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
}

// The Chinese message of a wrong credit code names the right check
// character, as the form shows it under the field.
func TestEmployerCreditCodeMessage(t *testing.T) {
	raw := validEmployer()
	raw[record.FieldCreditCode] = "91350100M000100Y44"
	_, errs := Employer(raw, nil)
	if len(errs) != 1 {
		t.Fatalf("errors %v, want one", errs)
	}
	want := "统一社会信用代码“91350100M000100Y44”的校验位不正确，最后一位应为 3，请对照营业执照核对"
	if got := errs[0].Err.Message("zh-Hans"); got != want {
		t.Errorf("message %q, want %q", got, want)
	}
}

// employerErrors returns the errors employerTests produce, for
// producedErrors.
func employerErrors() []*Error {
	var out []*Error
	for _, tt := range employerTests {
		raw := validEmployer()
		raw[tt.field] = tt.value
		_, errs := Employer(raw, nil)
		for _, fe := range errs {
			out = append(out, fe.Err)
		}
	}
	return out
}
