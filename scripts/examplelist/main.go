// Command examplelist writes docs/examples/graduates-example.xlsx, the
// graduate list the READMEs import. It is laid out as colleges hand lists
// over: a title row, a two-row header with merged group headings, an
// unknown column, and a few rows with the mistakes clerks make. Run it
// with `go run ./scripts/examplelist` from the repository root.
package main

import (
	"fmt"
	"log"
	"os"

	"github.com/xuri/excelize/v2"

	"mobilefactory/shared/demo"
	"mobilefactory/shared/validate"
)

const out = "docs/examples/graduates-example.xlsx"

// id returns an ID number with its check character: region, birth date
// and sequence give the first 17 characters.
func id(first17 string) string { return first17 + string(validate.IDCheckChar(first17)) }

func main() {
	f := excelize.NewFile()
	defer f.Close()
	sheet := "2025届毕业生"
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		log.Fatal(err)
	}
	text, err := f.NewStyle(&excelize.Style{NumFmt: 49})
	if err != nil {
		log.Fatal(err)
	}

	set := func(cell string, v any) {
		if err := f.SetCellValue(sheet, cell, v); err != nil {
			log.Fatal(err)
		}
	}
	merge := func(from, to string) {
		if err := f.MergeCell(sheet, from, to); err != nil {
			log.Fatal(err)
		}
	}

	set("A1", "江西财经职业学院2025届毕业生名单")
	merge("A1", "I1")
	for cell, v := range map[string]string{
		"A2": "序号", "B2": "基本信息", "E2": "学业", "G2": "手机号", "H2": "同意入库", "I2": "备注",
		"B3": "姓名", "C3": "性别", "D3": "身份证号码", "E3": "专业名称", "F3": "毕业时间",
	} {
		set(cell, v)
	}
	merge("A2", "A3")
	merge("B2", "D2")
	merge("E2", "F2")
	merge("G2", "G3")
	merge("H2", "H3")
	merge("I2", "I3")

	rows := [][]any{
		// The demo's sample person, with a new phone number: an update.
		{1, demo.SampleName, "男", demo.SampleIDNumber, "计算机应用技术", "2025-06-30", "139 0797 1234", "是", ""},
		{2, "王晓燕", "女", id("36010220030315002"), "大数据与会计", "2025-06-30", "13907912001", "是", ""},
		{3, "刘俊", "男", id("36042120021109003"), "电子商务", "2025/6/30", "+86 139-0797-2002", "是", "专升本"},
		{4, "陈思琪", "女", id("36070220030722004"), "市场营销", "2025年6月", "13907912003", "是", ""},
		{5, "黄磊", "男", id("36110220020405005"), "大数据与财务管理", "2025.06", "13907912004", "否", ""},
		// The check character is wrong.
		{6, "周婷", "女", "36012120030808006" + "1", "大数据与会计", "2025-06-30", "13907912005", "是", ""},
		// Excel kept this ID number as a number: its last digits are lost.
		{7, "吴浩", "男", 360121200309090070, "电子商务", "2025-06-30", "13907912006", "是", ""},
		// The phone number has ten digits.
		{8, "郑雨", "女", id("36012120031010008"), "市场营销", "2025-06-30", "1390791200", "是", ""},
	}
	for i, row := range rows {
		r := i + 4
		for c, v := range row {
			cell, _ := excelize.CoordinatesToCellName(c+1, r)
			set(cell, v)
		}
		if _, isText := row[3].(string); isText {
			cell := fmt.Sprintf("D%d", r)
			if err := f.SetCellStyle(sheet, cell, cell, text); err != nil {
				log.Fatal(err)
			}
		}
	}
	for col, width := range map[string]float64{"B": 10, "D": 22, "E": 18, "F": 12, "G": 18} {
		if err := f.SetColWidth(sheet, col, col, width); err != nil {
			log.Fatal(err)
		}
	}
	if err := os.MkdirAll("docs/examples", 0o755); err != nil {
		log.Fatal(err)
	}
	if err := f.SaveAs(out); err != nil {
		log.Fatal(err)
	}
	fmt.Println(out)
}
