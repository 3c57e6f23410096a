package chart

import (
	"bytes"
	"errors"
	"image/png"
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
