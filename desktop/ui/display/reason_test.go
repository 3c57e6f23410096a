package display

import "testing"

func TestMaskReason(t *testing.T) {
	cases := []struct {
		message, value string
		address        bool
		want           string
	}{
		{"身份证号“36012120020101099X”的校验位不正确", "36012120020101099X", false, "身份证号“3601**********099X”的校验位不正确"},
		{"手机号码“1390791200”有 10 位数字", "1390791200", false, "手机号码“139***1200”有 10 位数字"},
		{"手机号码“12345”有 5 位数字", "12345", false, "手机号码“12345”有 5 位数字"},
		{"地址“江西省南昌市红谷滩区丰和中大道1188号”有 201 个字", "江西省南昌市红谷滩区丰和中大道1188号", true, "地址“江西省南昌市红谷滩区***”有 201 个字"},
		{"工作单位“南昌1188号公司”太长", "南昌1188号公司", false, "工作单位“南昌1188号公司”太长"},
	}
	for _, c := range cases {
		if got := MaskReason(c.message, c.value, c.address); got != c.want {
			t.Errorf("MaskReason(%q) = %q, want %q", c.message, got, c.want)
		}
	}
}
