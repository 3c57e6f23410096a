package chart

import (
	"bytes"
	"errors"
	"image/png"
	"strconv"
	"testing"

	"mobilefactory/shared/i18n"
	"mobilefactory/shared/record"
)

func TestHalfYear(t *testing.T) {
	cases := map[string]int{
		"2024-01-15": 4048, "2024-06-30": 4048, "2024-07-01": 4049, "2024-12": 4049,
		"": -1, "2024": -1, "2024/05/01": -1, "2024-13-01": -1, "abcd-01-01": -1,
	}
	for date, want := range cases {
		if got := halfYear(date); got != want {
			t.Errorf("halfYear(%q) = %d, want %d", date, got, want)
		}
	}
}

func TestTimelinePNGDecodes(t *testing.T) {
	entries := []TimelineEntry{
		{Date: "2023-11-05", Kind: record.KindAward},
		{Date: "2024-03-01", Kind: record.KindAssessment},
		{Date: "2024-05-10", Kind: record.KindTraining},
		{Date: "2024-09-01", Kind: record.KindInternship},
		{Date: "", Kind: record.KindCertificate},
	}
	data, err := TimelinePNG(entries, i18n.Chinese, 480, 240)
	if err != nil {
		t.Fatalf("TimelinePNG: %v", err)
	}
	img, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("decoding the chart: %v", err)
	}
	if b := img.Bounds(); b.Dx() != 480 || b.Dy() != 240 {
		t.Errorf("chart size = %dx%d, want 480x240", b.Dx(), b.Dy())
	}
	if n := countNonWhite(img, img.Bounds()); n < 1000 {
		t.Errorf("chart has %d drawn pixels, want bars, axes and labels", n)
	}
}

func TestTimelineDiffersByEntries(t *testing.T) {
	a, err := TimelinePNG([]TimelineEntry{{Date: "2024-05-10", Kind: record.KindTraining}}, i18n.Chinese, 320, 200)
	if err != nil {
		t.Fatal(err)
	}
	b, err := TimelinePNG([]TimelineEntry{{Date: "2024-05-10", Kind: record.KindTraining},
		{Date: "2025-09-10", Kind: record.KindAward}}, i18n.Chinese, 320, 200)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(a, b) {
		t.Error("two different trajectories drew the same chart")
	}
}

func TestTimelineWithoutDates(t *testing.T) {
	_, err := TimelinePNG([]TimelineEntry{{Date: "", Kind: record.KindTraining}}, i18n.Chinese, 320, 200)
	if !errors.Is(err, ErrNoDates) {
		t.Errorf("TimelinePNG without dates: err = %v, want ErrNoDates", err)
	}
}

func TestValueAxisWholeTicks(t *testing.T) {
	for _, maxTotal := range []int{0, 1, 2, 3, 5, 6, 7, 11, 23, 100} {
		axis := valueAxis(maxTotal)
		if axis.Min == nil || *axis.Min != 0 {
			t.Errorf("valueAxis(%d).Min = %v, want 0", maxTotal, axis.Min)
			continue
		}
		if axis.Max == nil {
			t.Errorf("valueAxis(%d).Max is not set", maxTotal)
			continue
		}
		top := *axis.Max
		if top < float64(maxTotal) {
			t.Errorf("valueAxis(%d).Max = %v, below the highest bar", maxTotal, top)
		}
		if axis.LabelCount < 2 || axis.LabelCount > maxValueLabels {
			t.Errorf("valueAxis(%d).LabelCount = %d, want 2 to %d", maxTotal, axis.LabelCount, maxValueLabels)
			continue
		}
		step := top / float64(axis.LabelCount-1)
		if step != float64(int(step)) || step < 1 {
			t.Errorf("valueAxis(%d): ticks every %v records, want a whole step", maxTotal, step)
		}
		seen := map[string]bool{}
		for i := 0; i < axis.LabelCount; i++ {
			label := axis.ValueFormatter(float64(i) * step)
			if seen[label] {
				t.Errorf("valueAxis(%d): label %q repeats", maxTotal, label)
			}
			seen[label] = true
		}
	}
}

func TestValueAxisThreeRecords(t *testing.T) {
	axis := valueAxis(3)
	if *axis.Max != 3 || axis.LabelCount != 4 {
		t.Errorf("valueAxis(3) = max %v, %d labels; want max 3, 4 labels (0 1 2 3)", *axis.Max, axis.LabelCount)
	}
	if axis.PreferNiceIntervals == nil || *axis.PreferNiceIntervals {
		t.Error("valueAxis(3) lets the library flex the label count")
	}
}

func TestMaxStack(t *testing.T) {
	values := [][]float64{{1, 0, 1}, {0, 2, 1}, {0, 1, 1}}
	if got := maxStack(values); got != 3 {
		t.Errorf("maxStack = %d, want 3", got)
	}
	if got := maxStack(nil); got != 0 {
		t.Errorf("maxStack(nil) = %d, want 0", got)
	}
}

func TestCategoryAxisKeepsLabels(t *testing.T) {
	painter, err := newPainter(520, 220)
	if err != nil {
		t.Fatal(err)
	}
	var labels []string
	for h := 2024 * 2; h < 2029*2; h++ {
		labels = append(labels, i18n.In(i18n.Chinese, "chart.half_year."+strconv.Itoa(h%2+1), h/2))
	}
	axis := categoryAxis(painter, labels, 490)
	if axis.LabelCount != 10 {
		t.Errorf("LabelCount = %d, want all 10 half-years", axis.LabelCount)
	}
	if axis.LabelRotation == 0 {
		t.Error("10 half-year labels in 490 pixels are not rotated")
	}

	few := categoryAxis(painter, labels[:2], 490)
	if few.LabelCount != 2 {
		t.Errorf("LabelCount = %d, want 2", few.LabelCount)
	}
	if few.LabelRotation != 0 {
		t.Errorf("2 labels rotated by %v, want level labels", few.LabelRotation)
	}
}
