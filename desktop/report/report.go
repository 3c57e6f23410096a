// Package report builds the employment recommendation report (就业推荐报告):
// a PDF of one person's profile and the approved part of their whole
// record, signed off by the reviewing college, for employers. It has no
// Fyne import, so the window, the command line and tests share it.
package report

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"time"

	"codeberg.org/go-pdf/fpdf"
	"github.com/golang/freetype/truetype"

	"mobilefactory/assets/fonts"
	"mobilefactory/desktop/store"
	"mobilefactory/shared/access"
	"mobilefactory/shared/i18n"
	"mobilefactory/shared/record"
)

var (
	// ErrNoConsent is returned by Build for a person who has not consented
	// to be recommended, or whose personal fields were erased.
	ErrNoConsent = errors.New("person has not consented to recommendation")
	// ErrUnmaskedRole is returned by Build when Input.Unmasked is set for
	// a role that may not export personal fields in full.
	ErrUnmaskedRole = errors.New("role may not export personal fields unmasked")
)

// Input is the data one report is built from.
type Input struct {
	Person record.Person
	// History is the person's whole record in every review state. Build
	// keeps only History.Approved().
	History store.History
	// Programmes are the programmes the training records name, with their
	// modules. A training record whose programme is missing here is shown
	// with the hours, score and completion it stores.
	Programmes []record.Programme
	Role       access.Role // the exporting device's role
	Account    string      // the exporting account, printed with the export date
	// Unmasked shows the ID number, phone and address in full. It needs a
	// role for which Role.MayExportUnmasked holds.
	Unmasked bool
	College  string    // name of the reviewing college, for the sign-off
	Locale   string    // i18n.Chinese or i18n.English; empty means Chinese
	Date     time.Time // the export date; also the PDF's creation date
}

// Build writes the report on in.Person to w as an A4 PDF. Only approved
// records appear. Counselling sessions never do, because their notes are
// between the student and the counsellor. It returns ErrNoConsent or
// ErrUnmaskedRole, wrapped, before writing anything.
func Build(w io.Writer, in Input) error {
	if !in.Person.Consented() {
		return fmt.Errorf("building report for person %s: %w", in.Person.ID, ErrNoConsent)
	}
	if in.Unmasked && !in.Role.MayExportUnmasked() {
		return fmt.Errorf("building report for role %q: %w", in.Role, ErrUnmaskedRole)
	}
	if in.Locale != i18n.English {
		in.Locale = i18n.Chinese
	}
	font, err := bundledFont()
	if err != nil {
		return err
	}
	d := &doc{pdf: newPDF(in, font), font: font, locale: in.Locale}
	history := in.History.Approved()

	d.title(d.t("report.title"))
	d.pdf.SetFont(fontFamily, "", bodySize)
	d.pdf.CellFormat(0, lineHeight, d.text(in.College), "", 1, "C", false, 0, "")
	d.pdf.Ln(2)
	d.profile(in)
	d.trainings(history.Trainings, in.Programmes)
	if err := d.assessment(history.Assessments); err != nil {
		return err
	}
	d.internships(history.Internships)
	d.awards(history.Awards)
	d.certificates(history.Certificates)
	d.signOff(in, history)

	var buf bytes.Buffer
	if err := d.pdf.Output(&buf); err != nil {
		return fmt.Errorf("writing the report PDF: %w", err)
	}
	_, err = w.Write(buf.Bytes())
	return err
}

// newPDF makes an A4 portrait document with the bundled font, page numbers
// in the footer and fixed metadata, so the same input gives the same file.
func newPDF(in Input, font *truetype.Font) *fpdf.Fpdf {
	pdf := fpdf.New("P", "mm", "A4", "")
	// The page-count alias must be set before the font is added, so the
	// font subset keeps the digits that replace it.
	pdf.AliasNbPages("")
	pdf.AddUTF8FontFromBytes(fontFamily, "", fonts.MicroHei)
	pdf.SetMargins(margin, margin, margin)
	pdf.SetAutoPageBreak(true, footerMargin+4)
	pdf.SetCreationDate(in.Date)
	pdf.SetModificationDate(in.Date)
	pdf.SetCatalogSort(true)
	pdf.SetTitle(i18n.In(in.Locale, "report.title")+" · "+drawable(font, in.Person.Name, false), true)
	pdf.SetProducer("Mobile Factory", false)
	pdf.SetFooterFunc(func() {
		footer := i18n.In(in.Locale, "report.footer", in.Person.Name, pdf.PageNo(), "{nb}")
		pdf.SetY(-footerMargin)
		pdf.SetFont(fontFamily, "", smallSize)
		pdf.SetTextColor(0x55, 0x55, 0x55)
		pdf.CellFormat(0, 8, drawable(font, footer, false), "T", 0, "C", false, 0, "")
		pdf.SetTextColor(0, 0, 0)
	})
	pdf.AddPage()
	return pdf
}
