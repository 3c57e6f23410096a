package importer

import (
	"testing"
	"time"

	"mobilefactory/shared/record"
)

// A consent column maps 是 and 否 to consent values dated today, leaves an
// empty cell unrecorded, and rejects any other value with a message.
func TestConsentColumn(t *testing.T) {
	st := openTemp(t, jiangxiFinance)
	res := mustImport(t, st, "consent.csv", csvText(
		"姓名,身份证号,同意入库（是/否）",
		"王建华,"+idWang+",是",
		"赵敏,"+idZhao+",否",
		"李娜,"+idLiNa+",",
		"张伟,"+idFirst+",也许",
	))
	if res.Imported != 3 || res.Rejected != 1 {
		t.Errorf("imported %d, rejected %d; want 3 and 1", res.Imported, res.Rejected)
	}
	if len(res.Ignored) != 0 {
		t.Errorf("ignored columns %v, want the consent column mapped", res.Ignored)
	}
	today := time.Now().Format(time.DateOnly)
	wang := personByIDNumber(t, st, idWang)
	if wang.Consent != record.ConsentGiven || wang.ConsentAt != today {
		t.Errorf("王建华 consent = %q at %q, want given at %s", wang.Consent, wang.ConsentAt, today)
	}
	if got := personByIDNumber(t, st, idZhao).Consent; got != record.ConsentWithdrawn {
		t.Errorf("赵敏 consent = %q, want withdrawn", got)
	}
	if got := personByIDNumber(t, st, idLiNa).Consent; got != "" {
		t.Errorf("李娜 consent = %q, want none recorded", got)
	}
	errs := errorsOfRow(res, 5)
	if len(errs) != 1 || errs[0].Value != "也许" || errs[0].Column != "同意入库（是/否）" {
		t.Fatalf("errors of row 5 = %+v, want one about 也许 in the consent column", errs)
	}
	want := "第 5 行“同意入库（是/否）”列：入库授权“也许”无法识别，请填写“是”或“否”（也可填“同意”“不同意”），或留空表示未询问"
	if errs[0].Message != want {
		t.Errorf("message = %q, want %q", errs[0].Message, want)
	}

	// A row repeating the stored consent is unchanged, so its date and
	// account stay. A changed value replaces them.
	if err := st.WithdrawConsent(wang.ID); err != nil {
		t.Fatal(err)
	}
	res = mustImport(t, st, "again.csv", csvText("姓名,身份证号,授权", "赵敏,"+idZhao+",否", "王建华,"+idWang+",同意"))
	if res.Unchanged != 1 || res.Updated != 1 {
		t.Errorf("second import: unchanged %d, updated %d; want 1 and 1", res.Unchanged, res.Updated)
	}
	if got := personByIDNumber(t, st, idWang).Consent; got != record.ConsentGiven {
		t.Errorf("王建华 consent after the second import = %q, want given", got)
	}
}
