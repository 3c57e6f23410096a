package validate

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"mobilefactory/shared/i18n"
	"mobilefactory/shared/record"
)

// producedErrors runs every table of this package's tests and returns the
// errors they produce.
func producedErrors(t *testing.T) []*Error {
	t.Helper()
	var errs []*Error
	add := func(err error) {
		if err != nil {
			errs = append(errs, err.(*Error))
		}
	}
	for _, tt := range idNumberTests {
		_, err := IDNumber(tt.in)
		add(err)
	}
	for _, tt := range mobileTests {
		_, err := Mobile(tt.in)
		add(err)
	}
	for _, tt := range parseDateTests {
		_, err := ParseDate(tt.in)
		add(err)
	}
	for _, tt := range excelSerialTests {
		_, err := DateFromExcelSerial(tt.serial, tt.date1904)
		add(err)
	}
	for _, tt := range nameTests {
		_, err := Name(tt.in)
		add(err)
	}
	for _, tt := range creditCodeTests {
		_, err := CreditCode(tt.in)
		add(err)
	}
	errs = append(errs, employerErrors()...)
	errs = append(errs, demandErrors()...)
	more := map[string][]string{
		record.FieldGender:     {"未知"},
		record.FieldStudentNo:  {strings.Repeat("1", 33), "1\uFFFD", "1\x01"},
		record.FieldEmployer:   {strings.Repeat("企", 101), "企\uFFFD", "企\x01"},
		record.FieldMajor:      {"不存在的专业"},
		record.FieldGradYear:   {"明年", "1999"},
		record.FieldHomeRegion: {"火星市", "西湖区"},
		record.FieldWorkRegion: {"火星市", "朝阳区"},
		record.FieldStatus:     {"失业"},
		record.FieldWillReturn: {"看情况"},
	}
	// A gender against the 17th digit of the ID number: 5 is odd (male), 2
	// is even (female).
	for _, raw := range []map[string]string{
		{record.FieldGender: "女", record.FieldIDNumber: "360781200303280551"},
		{record.FieldGender: "男", record.FieldIDNumber: "360102200305140124"},
	} {
		_, fieldErrs := Person(raw, nil)
		for _, fe := range fieldErrs {
			errs = append(errs, fe.Err)
		}
	}
	for field, values := range more {
		for _, v := range values {
			_, fieldErrs := Person(map[string]string{field: v}, nil)
			for _, fe := range fieldErrs {
				errs = append(errs, fe.Err)
			}
		}
	}
	return errs
}

// sourceKeys returns the translation keys the package's source names: the
// literal "validate.…" strings and the keys built from a field name.
func sourceKeys(t *testing.T) map[string]bool {
	t.Helper()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	literal := regexp.MustCompile(`"(validate\.[a-z_]+\.[a-z_]+)"`)
	keys := map[string]bool{}
	for _, file := range files {
		if strings.HasSuffix(file, "_test.go") {
			continue
		}
		src, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range literal.FindAllStringSubmatch(string(src), -1) {
			keys[m[1]] = true
		}
	}
	for _, field := range []string{"name", "student_no", "employer", "contact"} {
		for _, suffix := range []string{"replacement_char", "control_char", "too_long"} {
			keys["validate."+field+"."+suffix] = true
		}
	}
	for _, field := range []string{"home_region", "work_region", "region"} {
		keys["validate."+field+".unknown"] = true
		keys["validate."+field+".ambiguous"] = true
	}
	return keys
}

func TestEveryKeyTranslated(t *testing.T) {
	for key := range sourceKeys(t) {
		for _, locale := range i18n.Locales {
			if !hasKey(locale, key) {
				t.Errorf("key %s has no %s translation in validate.json", key, locale)
			}
		}
	}
}

func TestEveryKeyProducedByTests(t *testing.T) {
	produced := map[string]bool{}
	for _, e := range producedErrors(t) {
		produced[e.Key] = true
	}
	for key := range sourceKeys(t) {
		if !produced[key] {
			t.Errorf("no test input produces %s", key)
		}
	}
}

// TestMessagesFormat formats every error the test tables produce in both
// locales: no fmt verb may be left unmatched, and the Chinese text must name
// the value the user entered.
func TestMessagesFormat(t *testing.T) {
	for _, e := range producedErrors(t) {
		for _, locale := range i18n.Locales {
			msg := e.Message(locale)
			if strings.Contains(msg, "%!") {
				t.Errorf("%s in %s with args %q formats as %q", e.Key, locale, e.Args, msg)
			}
		}
		if len(e.Args) > 0 {
			value := fmt.Sprint(e.Args[0])
			if msg := e.Message(i18n.Chinese); !strings.Contains(msg, value) {
				t.Errorf("%s: message %q does not name the value %q", e.Key, msg, value)
			}
		}
	}
}

func TestIDNumberMessage(t *testing.T) {
	_, err := IDNumber("110105200001011060")
	tests := []struct{ locale, want string }{
		{i18n.Chinese, "身份证号“110105200001011060”的校验位不正确，应为 X，请核对后重新输入"},
		{i18n.English, `ID number "110105200001011060": the check digit should be X; check and re-enter it`},
	}
	for _, tt := range tests {
		if got := err.(*Error).Message(tt.locale); got != tt.want {
			t.Errorf("Message(%s) = %q, want %q", tt.locale, got, tt.want)
		}
	}
}

func TestFieldNamesTranslated(t *testing.T) {
	want := map[string]string{
		record.FieldName: "姓名", record.FieldIDNumber: "身份证号", record.FieldPhone: "手机号码",
		record.FieldStudentNo: "学号", record.FieldMajor: "专业", record.FieldGradYear: "毕业年份",
		record.FieldHomeRegion: "生源地", record.FieldStatus: "就业状态", record.FieldWorkRegion: "工作地区",
		record.FieldEmployer: "单位", record.FieldGender: "性别", record.FieldProgramme: "培训项目",
		record.FieldHours: "学时", record.FieldScore: "成绩", record.FieldCompleted: "是否结业",
		record.FieldDate: "日期", record.FieldPosition: "岗位", record.FieldStart: "开始日期",
		record.FieldEnd: "结束日期", record.FieldRating: "评价", record.FieldPerson: "所属人才",
		record.FieldDeleted: "已删除", record.FieldRecordKind: "记录类型", record.FieldRecord: "记录",
		record.FieldField: "字段", record.FieldReason: "冲突原因", record.FieldWinner: "现用值",
		record.FieldWinnerDevice: "现用值的设备", record.FieldWinnerStamp: "现用值的时间",
		record.FieldLoser: "被替换的值", record.FieldLoserDevice: "被替换值的设备",
		record.FieldLoserStamp: "被替换值的时间", record.FieldConflictStatus: "处理状态",
		record.FieldResolution: "审核结果", record.FieldSupersedes: "更正自",
		record.FieldAddress: "地址", record.FieldConsent: "入库授权", record.FieldConsentAt: "授权日期",
		record.FieldConsentMethod: "授权方式", record.FieldConsentBy: "授权登记人",
		record.FieldErased: "已删除个人信息", record.FieldFields: "查看的字段", record.FieldAction: "操作",
		record.FieldClass: "班级", record.FieldResults: "各模块成绩", record.FieldTitle: "名称",
		record.FieldDemand: "对应岗位需求", record.FieldModules: "培训模块", record.FieldInternKind: "类型",
		record.FieldSupervisor: "指导人", record.FieldEvaluation: "实习评价", record.FieldProfile: "测评结果",
		record.FieldLevel: "级别", record.FieldIssuer: "颁发单位", record.FieldSkillLevel: "技能等级",
		record.FieldCertNo: "证书编号", record.FieldTopic: "辅导主题", record.FieldCounsellor: "辅导人",
		record.FieldNotes: "辅导记录", record.FieldReview: "审核状态", record.FieldReviewReason: "退回原因",
		record.FieldReviewBy: "审核人", record.FieldReviewAt: "审核日期", record.FieldSubmittedAt: "提交时间",
		record.FieldSkills: "技能", record.FieldWillReturn: "是否愿意回江西",
		record.FieldCreditCode: "统一社会信用代码", record.FieldRegion: "地区", record.FieldIndustry: "行业",
		record.FieldNature: "单位性质", record.FieldContact: "联系人", record.FieldContactPhone: "联系电话",
		record.FieldOccupation: "职业", record.FieldMajors: "专业要求", record.FieldCertificates: "证书要求",
		record.FieldHeadcount: "招聘人数", record.FieldSalaryMin: "最低月薪", record.FieldSalaryMax: "最高月薪",
		record.FieldMonths: "用工季节", record.FieldDemandStatus: "招聘状态", record.FieldPersons: "相关人才",
		record.FieldDecision: "处理决定", record.FieldDecidedBy: "处理人",
	}
	for _, kind := range record.Kinds {
		for _, field := range record.FieldsOf(kind) {
			if _, ok := want[field]; !ok {
				t.Errorf("field %s of %s has no expected display name in this test", field, kind)
			}
		}
	}
	for field, name := range want {
		if got := i18n.In(i18n.Chinese, "field."+field); got != name {
			t.Errorf("field.%s in zh-Hans = %q, want %q", field, got, name)
		}
		if !hasKey(i18n.English, "field."+field) {
			t.Errorf("field.%s has no English translation", field)
		}
	}
}

func TestCodeNamesTranslated(t *testing.T) {
	want := map[string]string{
		"gender." + record.GenderMale: "男", "gender." + record.GenderFemale: "女",
		"status." + record.StatusEmployed: "已就业", "status." + record.StatusSeeking: "待就业",
		"status." + record.StatusStudy: "升学", "status." + record.StatusOther: "其他",
	}
	for key, name := range want {
		if got := i18n.In(i18n.Chinese, key); got != name {
			t.Errorf("%s in zh-Hans = %q, want %q", key, got, name)
		}
		if !hasKey(i18n.English, key) {
			t.Errorf("%s has no English translation", key)
		}
	}
}

func hasKey(locale, key string) bool {
	for _, k := range i18n.Keys(locale) {
		if k == key {
			return true
		}
	}
	return false
}
