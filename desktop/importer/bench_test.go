package importer

import (
	"bytes"
	"encoding/csv"
	"path/filepath"
	"runtime"
	"strconv"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"mobilefactory/shared/demo"
)

// benchHeader is the header of the generated lists.
var benchHeader = []string{"姓名", "身份证号", "性别", "专业代码", "毕业年份", "手机号码",
	"生源地", "就业状态", "学号", "工作地区", "工作单位"}

// benchRows returns n valid rows of invented graduates.
func benchRows(n int) [][]string {
	people := demo.Generate(demo.Options{People: n, Seed: 1}).Persons
	rows := make([][]string, len(people))
	for i, p := range people {
		rows[i] = []string{p.Name, p.IDNumber, p.Gender, p.Major, strconv.Itoa(p.GradYear),
			p.Phone, p.HomeRegion, p.Status, p.StudentNo, p.WorkRegion, p.Employer}
	}
	return rows
}

func writeBenchCSV(b *testing.B, n int) string {
	b.Helper()
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	w.UseCRLF = true
	if err := w.Write(benchHeader); err != nil {
		b.Fatal(err)
	}
	if err := w.WriteAll(benchRows(n)); err != nil {
		b.Fatal(err)
	}
	return writeTemp(b, "list.csv", buf.Bytes())
}

func writeBenchXLSX(b *testing.B, n int) string {
	b.Helper()
	f := excelize.NewFile()
	defer f.Close()
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		b.Fatal(err)
	}
	row := make([]any, len(benchHeader))
	for i, h := range benchHeader {
		row[i] = h
	}
	if err := sw.SetRow("A1", row); err != nil {
		b.Fatal(err)
	}

	for r, values := range benchRows(n) {
		row := make([]any, len(values))
		for i, v := range values {
			row[i] = v
		}
		// Years and phones are numbers in real lists; ID numbers are text.
		row[4], _ = strconv.Atoi(values[4])
		row[5], _ = strconv.Atoi(values[5])
		axis, _ := excelize.CoordinatesToCellName(1, r+2)
		if err := sw.SetRow(axis, row); err != nil {
			b.Fatal(err)
		}
	}
	if err := sw.Flush(); err != nil {
		b.Fatal(err)
	}

	path := filepath.Join(b.TempDir(), "list.xlsx")
	if err := f.SaveAs(path); err != nil {
		b.Fatal(err)
	}
	return path
}

// benchmarkImport imports path into a new store per loop and reports the
// peak heap in use, sampled every 10 ms, as peak-heap-MiB.
func benchmarkImport(b *testing.B, path string, rows int) {
	b.ReportAllocs()
	runtime.GC()
	stop := make(chan struct{})
	peak := make(chan uint64)
	go func() {
		var max uint64
		var ms runtime.MemStats
		tick := time.NewTicker(10 * time.Millisecond)
		defer tick.Stop()
		for {
			runtime.ReadMemStats(&ms)
			max = maxUint(max, ms.HeapInuse)
			select {
			case <-stop:
				peak <- max
				return
			case <-tick.C:
			}
		}
	}()
	for b.Loop() {
		b.StopTimer()
		st := openTemp(b, jiangxiFinance)
		b.StartTimer()

		res, err := ImportFile(st, path, Options{})
		if err != nil {
			b.Fatal(err)
		}
		if res.Imported != rows {
			b.Fatalf("Imported = %d, want %d; first errors %+v", res.Imported, rows, res.Errors[:min(len(res.Errors), 3)])
		}
	}
	close(stop)
	b.ReportMetric(float64(rows), "rows/op")
	b.ReportMetric(float64(<-peak)/(1<<20), "peak-heap-MiB")
}

func maxUint(a, b uint64) uint64 { return max(a, b) }

// BenchmarkImport10kCSV imports 10,000 valid rows, with full validation,
// into an empty store.
func BenchmarkImport10kCSV(b *testing.B) {
	benchmarkImport(b, writeBenchCSV(b, 10000), 10000)
}

// BenchmarkImport100kXLSX imports 100,000 valid rows from a workbook, the
// size of a large college's list over several years.
func BenchmarkImport100kXLSX(b *testing.B) {
	benchmarkImport(b, writeBenchXLSX(b, 100000), 100000)
}
