package importer

import (
	"bytes"
	"crypto/ed25519"
	"encoding/csv"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"mobilefactory/desktop/store"
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
// peak heap in use as peak-heap-MiB and, on Linux, the peak resident set
// size as peak-rss-MiB, both sampled every 10 ms.
func benchmarkImport(b *testing.B, path string, rows int) {
	b.ReportAllocs()
	runtime.GC()
	stop := make(chan struct{})
	peaks := make(chan memoryPeaks)
	go sampleMemory(stop, peaks)
	for b.Loop() {
		b.StopTimer()
		st := openBenchStore(b)
		b.StartTimer()

		res, err := ImportFile(st, path, Options{})
		if err != nil {
			b.Fatal(err)
		}
		if res.Imported != rows {
			b.Fatalf("Imported = %d, want %d; first errors %+v", res.Imported, rows, res.Errors[:min(len(res.Errors), 3)])
		}

		// Each loop measures one import: the store of the last one is
		// checked, closed and its memory given back before the next.
		b.StopTimer()
		if err := st.Check(); err != nil {
			b.Fatalf("store integrity: %v", err)
		}
		if err := st.Close(); err != nil {
			b.Fatal(err)
		}
		debug.FreeOSMemory()
		b.StartTimer()
	}
	close(stop)
	peak := <-peaks
	b.ReportMetric(float64(rows), "rows/op")
	b.ReportMetric(float64(peak.heap)/(1<<20), "peak-heap-MiB")
	if peak.rss > 0 {
		b.ReportMetric(float64(peak.rss)/(1<<20), "peak-rss-MiB")
	}
}

// openBenchStore opens a new store enrolled for 江西财经职业学院 that the
// caller closes, unlike openTemp's, which stays open until the benchmark
// ends.
func openBenchStore(b *testing.B) *store.Store {
	b.Helper()
	st, err := store.Open(filepath.Join(b.TempDir(), "client.db"), store.Options{})
	if err != nil {
		b.Fatal(err)
	}
	_, key, _ := ed25519.GenerateKey(nil)
	if err := st.SetIdentity(store.Identity{Device: st.Device(), College: jiangxiFinance, PrivateKey: key}); err != nil {
		b.Fatal(err)
	}
	return st
}

// memoryPeaks holds the peaks sampleMemory saw, in bytes. rss is 0 where
// /proc/self/statm cannot be read, which is everywhere but Linux.
type memoryPeaks struct {
	heap uint64 // runtime.MemStats.HeapInuse
	rss  uint64 // resident set size of the test process
}

// sampleMemory samples the heap in use and the resident set size every
// 10 ms until stop is closed, then sends the peaks on out.
func sampleMemory(stop <-chan struct{}, out chan<- memoryPeaks) {
	var peak memoryPeaks
	var ms runtime.MemStats
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	for {
		runtime.ReadMemStats(&ms)
		peak.heap = max(peak.heap, ms.HeapInuse)
		peak.rss = max(peak.rss, residentBytes())
		select {
		case <-stop:
			out <- peak
			return
		case <-tick.C:
		}
	}
}

// residentBytes returns the resident set size of this process read from
// /proc/self/statm, or 0 when that file cannot be read or parsed.
func residentBytes() uint64 {
	if runtime.GOOS != "linux" {
		return 0
	}
	raw, err := os.ReadFile("/proc/self/statm")
	if err != nil {
		return 0
	}
	// statm holds sizes in pages: total, resident, shared, and so on.
	fields := strings.Fields(string(raw))
	if len(fields) < 2 {
		return 0
	}
	pages, err := strconv.ParseUint(fields[1], 10, 64)
	if err != nil {
		return 0
	}
	return pages * uint64(os.Getpagesize())
}

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
