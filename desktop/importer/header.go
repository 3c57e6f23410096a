package importer

import (
	"strings"
	"unicode"

	"mobilefactory/shared/record"
)

// fieldCollege names the college column. It is no person field: the
// college is the record's scope, which must be the device's college.
const fieldCollege = "college"

// fieldConsent names the consent column. It contains only 是 or 否, so
// checkRow sets the consent date and account itself.
const fieldConsent = "consent"

// maxHeaderRow is how many rows from the top may come before the header
// row, for lists that start with a title such as 2024届毕业生名单.
const maxHeaderRow = 10

// headerFields maps the header texts colleges and the HR bureau use, as
// normaliseHeader leaves them, to fields.
var headerFields = map[string]string{
	"姓名":        record.FieldName,
	"身份证号":      record.FieldIDNumber,
	"身份证号码":     record.FieldIDNumber,
	"公民身份号码":    record.FieldIDNumber,
	"身份证":       record.FieldIDNumber,
	"证件号码":      record.FieldIDNumber,
	"证件号":       record.FieldIDNumber,
	"身份证件号码":    record.FieldIDNumber,
	"身份证件号":     record.FieldIDNumber,
	"学生姓名":      record.FieldName,
	"毕业生姓名":     record.FieldName,
	"毕业时间":      record.FieldGradYear,
	"毕业日期":      record.FieldGradYear,
	"毕业年月":      record.FieldGradYear,
	"毕业届别":      record.FieldGradYear,
	"联系方式":      record.FieldPhone,
	"电话":        record.FieldPhone,
	"电话号码":      record.FieldPhone,
	"移动电话":      record.FieldPhone,
	"本人手机":      record.FieldPhone,
	"所学专业":      record.FieldMajor,
	"专业全称":      record.FieldMajor,
	"生源地区":      record.FieldHomeRegion,
	"生源所在地":     record.FieldHomeRegion,
	"就业去向":      record.FieldStatus,
	"毕业去向":      record.FieldStatus,
	"学籍号":       record.FieldStudentNo,
	"所在院校":      fieldCollege,
	"毕业院校":      fieldCollege,
	"单位名称":      record.FieldEmployer,
	"性别":        record.FieldGender,
	"院校":        fieldCollege,
	"学校":        fieldCollege,
	"院校名称":      fieldCollege,
	"学校名称":      fieldCollege,
	"专业":        record.FieldMajor,
	"专业名称":      record.FieldMajor,
	"专业代码":      record.FieldMajor,
	"毕业年份":      record.FieldGradYear,
	"毕业年度":      record.FieldGradYear,
	"届别":        record.FieldGradYear,
	"手机号码":      record.FieldPhone,
	"手机号":       record.FieldPhone,
	"手机":        record.FieldPhone,
	"联系电话":      record.FieldPhone,
	"生源地":       record.FieldHomeRegion,
	"籍贯":        record.FieldHomeRegion,
	"就业状态":      record.FieldStatus,
	"学号":        record.FieldStudentNo,
	"工作地区":      record.FieldWorkRegion,
	"就业地区":      record.FieldWorkRegion,
	"工作单位":      record.FieldEmployer,
	"就业单位":      record.FieldEmployer,
	"单位":        record.FieldEmployer,
	"地址":        record.FieldAddress,
	"住址":        record.FieldAddress,
	"家庭住址":      record.FieldAddress,
	"家庭地址":      record.FieldAddress,
	"通讯地址":      record.FieldAddress,
	"通信地址":      record.FieldAddress,
	"技能":        record.FieldSkills,
	"专业技能":      record.FieldSkills,
	"技能特长":      record.FieldSkills,
	"特长":        record.FieldSkills,
	"是否愿意回江西":   record.FieldWillReturn,
	"愿意回江西":     record.FieldWillReturn,
	"是否愿意回江西就业": record.FieldWillReturn,
	"返乡意愿":      record.FieldWillReturn,
	"联系地址":      record.FieldAddress,
	"现住址":       record.FieldAddress,
	"同意入库":      fieldConsent,
	"入库授权":      fieldConsent,
	"授权":        fieldConsent,
	"是否同意入库":    fieldConsent,
	"是否授权":      fieldConsent,
}

// requiredFields are the columns a list must have.
var requiredFields = []string{record.FieldName, record.FieldIDNumber}

// problemHeader heads the reason column of a file saved by WriteRejected.
const problemHeader = "问题"

// sheetHeader heads the sheet column of a file saved by WriteRejected from
// several sheets.
const sheetHeader = "工作表"

// silentHeaders are the columns the import ignores without listing them as
// unknown: the reason and sheet columns of a rejected-rows file, and the
// running number (序号) nearly every list starts with.
var silentHeaders = map[string]bool{problemHeader: true, sheetHeader: true, "序号": true}

// normaliseHeader reduces a header cell to the form headerFields uses: no
// spaces or line breaks, ASCII for full-width forms, no required-field
// star, and nothing from the first bracket on, so that
// "*手机号码（11位）" becomes 手机号码.
func normaliseHeader(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= '\uFF01' && r <= '\uFF5E':
			r -= 0xFEE0
		case unicode.IsSpace(r), r == '\uFEFF', r == '\u200B':
			continue
		}
		b.WriteRune(r)
	}
	h := b.String()
	if i := strings.IndexAny(h, "(["); i >= 0 {
		h = h[:i]
	}
	return strings.Trim(h, "*:")
}

// trimSpace trims white space, including U+3000 and the zero-width
// characters that text copied from web pages carries.
func trimSpace(s string) string {
	return strings.TrimFunc(s, func(r rune) bool {
		return unicode.IsSpace(r) || r == '\uFEFF' || r == '\u200B'
	})
}
