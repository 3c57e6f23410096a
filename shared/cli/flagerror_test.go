package cli

import (
	"strings"
	"testing"

	"mobilefactory/shared/i18n"
)

func demoCommand() Command {
	return Command{Name: "demo", Summary: "server.demo.summary", Usage: "server.demo.usage"}
}

func TestFlagErrorsInChinese(t *testing.T) {
	i18n.SetLocale(i18n.Chinese)
	cases := []struct {
		args []string
		want []string
	}{
		{[]string{"--people", "x"}, []string{"选项 --people 的值“x”无效", "应为整数", "syncserver demo --help"}},
		{[]string{"--ttl=abc"}, []string{"选项 --ttl 的值“abc”无效", "应为时长"}},
		{[]string{"--json=maybe"}, []string{"选项 --json 的值“maybe”无效", "true 或 false"}},
		{[]string{"--color", "red"}, []string{"没有选项 --color", "syncserver demo --help"}},
		{[]string{"--people"}, []string{"选项 --people 缺少值", "整数"}},
		{[]string{"---people", "1"}, []string{"选项“---people”的写法无效"}},
	}
	for _, c := range cases {
		fs := FlagSet("syncserver", demoCommand())
		fs.Int("people", 20, "server.flag.people")
		fs.Duration("ttl", 0, "server.flag.enrol_ttl")
		fs.Bool("json", false, "server.flag.json")
		err := Parse(fs, c.args)
		if err == nil {
			t.Errorf("Parse(%v): no error", c.args)
			continue
		}
		if !IsUsage(err) {
			t.Errorf("Parse(%v) = %v, want a usage error", c.args, err)
		}
		for _, want := range c.want {
			if !strings.Contains(err.Error(), want) {
				t.Errorf("Parse(%v) = %q, want it to contain %q", c.args, err.Error(), want)
			}
		}
	}
}

func TestFlagErrorsInEnglish(t *testing.T) {
	i18n.SetLocale(i18n.English)
	defer i18n.SetLocale(i18n.Chinese)
	fs := FlagSet("syncserver", demoCommand())
	fs.Int("n", 20, "server.flag.n")
	_, err := ParseFile(fs, []string{"file.db", "--n", "abc"}, "server.restore.no_file")
	want := `Invalid value "abc" for --n: expected an integer`
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("ParseFile with --n abc = %v, want it to contain %q", err, want)
	}
}
