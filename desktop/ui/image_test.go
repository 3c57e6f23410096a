package ui

import (
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"mobilefactory/desktop/syncclient"
	"mobilefactory/shared/record"
)

// TestMainWindowImage compares the talent screen with demo-like data to a
// reference image in testdata. Delete the image to make a new one.
func TestMainWindowImage(t *testing.T) {
	st := openStore(t, true)
	people := []record.Person{
		{Name: "李志明", Gender: record.GenderMale, IDNumber: "36012120020101099X", Phone: "13807912345",
			StudentNo: "JXCJ2024001", Major: "510203", GradYear: 2024, HomeRegion: "360121",
			Status: record.StatusEmployed, WorkRegion: "360111", Employer: "江西铜业集团"},
		{Name: "王芳", Gender: record.GenderFemale, IDNumber: validID(t, "36040319990512002"),
			StudentNo: "JXCJ2024002", Major: "530302", GradYear: 2024, HomeRegion: "360403", Status: record.StatusSeeking},
		{Name: "阿依古丽·买买提", Gender: record.GenderFemale, IDNumber: validID(t, "65010220010304022"),
			StudentNo: "JXCJ2023017", Major: "510203", GradYear: 2023, Status: record.StatusStudy},
	}
	var first record.Person
	for i, p := range people {
		saved := savePerson(t, st, p)
		if i == 0 {
			first = saved
		}
	}
	if _, err := st.SaveTraining(record.Training{Person: first.ID, Programme: "办公软件应用", Hours: 32,
		Score: "92", Completed: true, Date: "2024-05-10"}); err != nil {
		t.Fatal(err)
	}
	if _, err := st.SaveInternship(record.Internship{Person: first.ID, Employer: "江西铜业集团",
		Position: "设备维护员", Start: "2024-03-01", End: "2024-06-30", Rating: 4}); err != nil {
		t.Fatal(err)
	}

	source := newFakeStatus()
	h := newHarness(t, st, Options{Status: source})
	h.w.main.persons.selectID(first.ID)
	last := time.Date(2026, 12, 4, 10, 32, 0, 0, time.Local)
	source.ch <- syncclient.Status{Online: true, Pending: 3, LastSync: last}
	h.eventually("status update", func() bool { return h.w.status.Pending == 3 })

	test.AssertImageMatches(t, "main_window.png", h.win.Canvas().Capture())
}
