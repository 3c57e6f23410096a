package display

import (
	"strings"
	"testing"
	"time"

	"mobilefactory/shared/i18n"
	"mobilefactory/shared/record"
)

func programmeRaw(title string) map[string]string {
	return map[string]string{record.FieldTitle: title, record.FieldEmployer: "江西铜业集团",
		record.FieldPosition: "数控车工", record.FieldDemand: "数控车工 10 人"}
}

func TestParseProgrammeValid(t *testing.T) {
	p, errs := ParseProgramme(programmeRaw(" 数控车床操作岗位班 "), []ModuleInput{
		{Name: "数控编程", Hours: "100", PassMark: "60"},
		{}, // an empty row is skipped
		{Name: " 安全操作 ", Hours: "２０", PassMark: "70"},
	})
	if len(errs) > 0 {
		t.Fatalf("ParseProgramme(valid) errors: %v", errs)
	}
	if p.Title != "数控车床操作岗位班" {
		t.Errorf("title = %q, want 数控车床操作岗位班", p.Title)
	}
	want := []record.Module{
		{Key: "数控编程", Name: "数控编程", Hours: 100, PassMark: 60},
		{Key: "安全操作", Name: "安全操作", Hours: 20, PassMark: 70},
	}
	if len(p.Modules) != len(want) {
		t.Fatalf("modules = %+v, want %+v", p.Modules, want)
	}
	for i := range want {
		if p.Modules[i] != want[i] {
			t.Errorf("module %d = %+v, want %+v", i, p.Modules[i], want[i])
		}
	}
	// The stored form must read back as the same modules.
	back, err := record.ParseModules(record.EncodeModules(p.Modules))
	if err != nil || len(back) != 2 || back[1] != want[1] {
		t.Errorf("modules after a round trip = %+v, %v", back, err)
	}
}

func TestParseProgrammeMessages(t *testing.T) {
	chinese(t)
	tests := []struct {
		name    string
		title   string
		modules []ModuleInput
		want    string
	}{
		{"title missing", "", []ModuleInput{{"数控编程", "40", "60"}}, "请填写项目名称"},
		{"no module", "数控班", nil, "请至少添加一个模块，并填写名称、学时和及格分"},
		{"duplicate name", "数控班", []ModuleInput{{"数控编程", "40", "60"}, {"数控编程", "20", "60"}},
			"模块名称“数控编程”重复，同一项目中每个模块的名称须不同"},
		{"colon in name", "数控班", []ModuleInput{{"数控:编程", "40", "60"}},
			"模块名称“数控:编程”含有英文冒号、分号或等号，请去掉这些符号或改用中文标点"},
		{"semicolon in name", "数控班", []ModuleInput{{"数控;编程", "40", "60"}},
			"模块名称“数控;编程”含有英文冒号、分号或等号，请去掉这些符号或改用中文标点"},
		{"hours zero", "数控班", []ModuleInput{{"数控编程", "0", "60"}}, "模块“数控编程”的学时“0”应为 1 至 1000 之间的整数"},
		{"hours too many", "数控班", []ModuleInput{{"数控编程", "1001", "60"}}, "模块“数控编程”的学时“1001”应为 1 至 1000 之间的整数"},
		{"hours text", "数控班", []ModuleInput{{"数控编程", "四十", "60"}}, "模块“数控编程”的学时“四十”应为 1 至 1000 之间的整数"},
		{"pass mark over 100", "数控班", []ModuleInput{{"数控编程", "40", "101"}}, "模块“数控编程”的及格分“101”应为 0 至 100 之间的整数"},
		{"name missing", "数控班", []ModuleInput{{"", "40", "60"}}, "第 1 行模块没有名称，请填写名称，或删除这一行"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, errs := ParseProgramme(programmeRaw(tt.title), tt.modules)
			var messages []string
			for _, fe := range errs {
				messages = append(messages, i18n.T(fe.Err.Key, fe.Err.Args...))
			}
			if len(messages) != 1 || messages[0] != tt.want {
				t.Errorf("ParseProgramme messages = %q, want [%s]", messages, tt.want)
			}
		})
	}
}

func TestParseClass(t *testing.T) {
	chinese(t)
	c, errs := ParseClass(map[string]string{record.FieldTitle: "2025 数控定制班",
		record.FieldProgramme: record.BasicProgramme, record.FieldStart: "2025年3月1日", record.FieldEnd: "2025-06-30"})
	if len(errs) > 0 {
		t.Fatalf("ParseClass(valid) errors: %v", errs)
	}
	if c.Start != "2025-03-01" || c.End != "2025-06-30" || c.Programme != record.BasicProgramme {
		t.Errorf("ParseClass(valid) = %+v", c)
	}

	_, errs = ParseClass(map[string]string{record.FieldTitle: "数控班",
		record.FieldStart: "2025-06-30", record.FieldEnd: "2025-03-01"})
	got := map[string]string{}
	for _, fe := range errs {
		got[fe.Field] = i18n.T(fe.Err.Key, fe.Err.Args...)
	}
	if want := "请选择培训项目"; got[record.FieldProgramme] != want {
		t.Errorf("programme message = %q, want %q", got[record.FieldProgramme], want)
	}
	if want := "结束日期 2025年3月1日 早于开始日期 2025年6月30日，请核对"; got[record.FieldEnd] != want {
		t.Errorf("end message = %q, want %q", got[record.FieldEnd], want)
	}
}

// gridProgramme has a 100-hour module, so 80 and 79 hours sit on either
// side of the 80% attendance rule.
var gridProgramme = record.Programme{ID: "01JPROGRAMME0000000000000AB", Title: "数控班", Modules: []record.Module{
	{Key: "数控编程", Name: "数控编程", Hours: 100, PassMark: 60},
	{Key: "安全操作", Name: "安全操作", Hours: 20, PassMark: 70},
}}

func TestGridRowCompletion(t *testing.T) {
	chinese(t)
	tests := []struct {
		name  string
		cells []CellInput
		want  [4]string
	}{
		{"80 percent passes", []CellInput{{"80", "60"}, {"16", "70"}}, [4]string{"2/2", "96", "65", "已结业"}},
		{"79 percent fails", []CellInput{{"79", "90"}, {"20", "70"}}, [4]string{"1/2", "99", "80", "未结业"}},
		{"below pass mark", []CellInput{{"100", "59"}, {"20", "70"}}, [4]string{"1/2", "120", "65", "未结业"}},
		{"nothing typed", []CellInput{{"", ""}, {"", ""}}, [4]string{"0/2", "0", "—", "未结业"}},
		{"score without attendance", []CellInput{{"", "90"}, {"", ""}}, [4]string{"0/2", "0", "90", "未结业"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			results, errs := ParseGridRow("李志明", gridProgramme, tt.cells)
			if len(errs) > 0 {
				t.Fatalf("ParseGridRow errors: %v", errs)
			}
			if got := CompletionCells(record.Complete(gridProgramme, results)); got != tt.want {
				t.Errorf("CompletionCells = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestParseCellMessages(t *testing.T) {
	chinese(t)
	m := gridProgramme.Modules[0]
	tests := []struct {
		text  string
		score bool
		want  string
	}{
		{"105", true, "王芳 的“数控编程”成绩“105”应为 0 至 100 之间的整数"},
		{"优", true, "王芳 的“数控编程”成绩“优”应为 0 至 100 之间的整数"},
		{"八十", false, "王芳 的“数控编程”出勤学时“八十”应为 0 至 100 之间的整数"},
		{"-3", false, "王芳 的“数控编程”出勤学时“-3”应为 0 至 100 之间的整数"},
		{"101", false, "王芳 的“数控编程”出勤学时“101”超过该模块的 100 学时，请核对"},
	}
	for _, tt := range tests {
		_, err := ParseCell("王芳", gridProgramme, m, tt.score, tt.text)
		if err == nil {
			t.Errorf("ParseCell(%q, score %v) = nil error, want %q", tt.text, tt.score, tt.want)
			continue
		}
		if got := i18n.T(err.Key, err.Args...); got != tt.want {
			t.Errorf("ParseCell(%q, score %v) message = %q, want %q", tt.text, tt.score, got, tt.want)
		}
	}
	if n, err := ParseCell("王芳", gridProgramme, m, false, " １００ "); err != nil || n != 100 {
		t.Errorf("ParseCell(full-width 100) = %d, %v; want 100, nil", n, err)
	}
}

func TestBasicProgrammeTranslated(t *testing.T) {
	chinese(t)
	p := record.Basic()
	if got := ProgrammeTitle(p); got != "基础模块" {
		t.Errorf("ProgrammeTitle(basic) = %q, want 基础模块", got)
	}
	if got := ModuleName(p, p.Modules[0]); got != "办公软件应用" {
		t.Errorf("ModuleName(basic office) = %q, want 办公软件应用", got)
	}
}

func TestTrainingSummary(t *testing.T) {
	chinese(t)
	tr := record.Training{Programme: gridProgramme.ID, Results: record.Results{
		"数控编程": {Attended: 80, Score: 60}, "安全操作": {Attended: 16, Score: 70}},
		Review: record.Review{State: record.ReviewPending}}
	want := "数控班 · 2025 数控定制班 · 通过 2/2 个模块 · 96 学时 · 平均分 65 · 已结业"
	if got := TrainingSummary(tr, gridProgramme, "2025 数控定制班"); got != want {
		t.Errorf("TrainingSummary = %q, want %q", got, want)
	}
	tr.Review.State = record.ReviewApproved
	if got := TrainingSummary(tr, gridProgramme, ""); strings.Contains(got, "已通过") || !strings.HasSuffix(got, "已结业") {
		t.Errorf("TrainingSummary(approved, no class) = %q, want no review state", got)
	}
}

func TestMonthsSince(t *testing.T) {
	grad := time.Date(2024, time.July, 1, 0, 0, 0, 0, time.Local)
	tests := []struct {
		now  time.Time
		want int
	}{
		{time.Date(2025, time.July, 1, 0, 0, 0, 0, time.Local), 12},
		{time.Date(2025, time.June, 30, 0, 0, 0, 0, time.Local), 11},
		{time.Date(2026, time.January, 15, 0, 0, 0, 0, time.Local), 18},
		{time.Date(2024, time.March, 1, 0, 0, 0, 0, time.Local), 0},
	}
	for _, tt := range tests {
		if got := MonthsSince(grad, tt.now); got != tt.want {
			t.Errorf("MonthsSince(2024-07-01, %s) = %d, want %d", tt.now.Format(time.DateOnly), got, tt.want)
		}
	}
}

func TestRetrainingRow(t *testing.T) {
	chinese(t)
	got := RetrainingRow(record.Person{Name: "赵磊", GradYear: 2024}, "软件技术", 12)
	if want := "赵磊 · 软件技术 · 2024 届 · 毕业 12 个月"; got != want {
		t.Errorf("RetrainingRow = %q, want %q", got, want)
	}
}
