package codes

import "testing"

func TestOccupationLevelCounts(t *testing.T) {
	tab := tables(t)
	for level, want := range map[string]int{
		OccupationMajor: 8, OccupationMiddle: 79, OccupationMinor: 450, OccupationDetail: 1639,
	} {
		if got := countLevel(tab.Occupations, level); got != want {
			t.Errorf("occupations at level %s: %d, want %d", level, got, want)
		}
	}
}

func TestOccupationForms(t *testing.T) {
	tab := tables(t)
	tests := []struct {
		in, wantCode, wantName string
	}{
		{"6-18-01-01", "6-18-01-01", "车工"},
		{" ６-１８-０１-０１ ", "6-18-01-01", "车工"},
		{"6180101", "6-18-01-01", "车工"},
		{"6-18-01", "6-18-01", "机械冷加工人员"},
		{"61801", "6-18-01", "机械冷加工人员"},         // GBM code of a minor group
		{"61800", "6-18", "机械制造基础加工人员"},         // GBM code of a middle group
		{"618", "6-18", "机械制造基础加工人员"},           // the middle group's digits
		{"60000", "6", "生产制造及有关人员"},             // GBM code of a major group
		{"10100", "1-01-00", "中国共产党机关和基层组织负责人"}, // shared by 1-01 and 1-01-00: the deeper
		{"6", "6", "生产制造及有关人员"},
	}
	for _, tt := range tests {
		got, ok := tab.Occupation(tt.in)
		if !ok || got.Code != tt.wantCode || got.Name != tt.wantName {
			t.Errorf("Occupation(%q) = %+v, %v; want %s %s", tt.in, got, ok, tt.wantCode, tt.wantName)
		}
	}
	for _, in := range []string{"", "9-99-99-99", "6-18-01-99", "618010", "61897", "车工", "6-18-0a"} {
		if got, ok := tab.Occupation(in); ok {
			t.Errorf("Occupation(%q) = %+v, want not found", in, got)
		}
	}
}

func TestIndustryForms(t *testing.T) {
	tab := tables(t)
	tests := []struct {
		in, wantCode, wantLevel string
	}{
		{"C", "C", "section"},
		{"c", "C", "section"},
		{"34", "34", "division"},
		{"341", "341", "group"},
		{"3411", "3411", "class"},
		{"C3411", "3411", "class"},
		{"c34", "34", "division"},
		{"３４１１", "3411", "class"},
	}
	for _, tt := range tests {
		got, ok := tab.Industry(tt.in)
		if !ok || got.Code != tt.wantCode || got.Level != tt.wantLevel {
			t.Errorf("Industry(%q) = %+v, %v; want %s at level %s", tt.in, got, ok, tt.wantCode, tt.wantLevel)
		}
	}
	// 3409 is no class, D3411 names the wrong section, and a letter needs
	// at least a division's two digits after it.
	for _, in := range []string{"", "Z", "3409", "D3411", "C9"} {
		if got, ok := tab.Industry(in); ok {
			t.Errorf("Industry(%q) = %+v, want not found", in, got)
		}
	}
}

func TestIndustryName(t *testing.T) {
	tab := tables(t)
	tests := map[string]string{
		"3411": "制造业 › 锅炉及辅助设备制造",
		"34":   "制造业 › 通用设备制造业",
		"C":    "制造业",
		"3409": "",
	}
	for code, want := range tests {
		if got := tab.IndustryName(code); got != want {
			t.Errorf("IndustryName(%q) = %q, want %q", code, got, want)
		}
	}
}

func TestOccupationSearch(t *testing.T) {
	tab := tables(t)
	found := tab.Occupations.Search("车工", 5)
	if len(found) == 0 || found[0].Code != "6-18-01-01" {
		t.Errorf("Occupations.Search(车工) = %+v, want 6-18-01-01 车工 first", found)
	}
	found = tab.Industries.Search("锅炉", 3)
	if len(found) == 0 || found[0].Code != "341" {
		t.Errorf("Industries.Search(锅炉) = %+v, want group 341 first", found)
	}
}
