package ui

import (
	"errors"
	"slices"
	"strconv"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"mobilefactory/desktop/store"
	"mobilefactory/desktop/ui/display"
	"mobilefactory/shared/access"
	"mobilefactory/shared/i18n"
	"mobilefactory/shared/record"
	"mobilefactory/shared/validate"
)

// genderCodes and the gender select's options share their order.
var genderCodes = []string{record.GenderMale, record.GenderFemale}

// personPage is the right side of the talent screen: the person form and,
// once the person is saved, their training records and internships.
type personPage struct {
	w       *window
	content fyne.CanvasObject
	title   *widget.Label
	form    *fieldForm
	save    *widget.Button
	// reveal shows the ID number, phone and address in full, for roles that
	// may see them, and records an access event. Nil for other roles.
	reveal *widget.Button
	// erase opens the erasure dialog, for roles that may erase. Nil for
	// other roles.
	erase       *widget.Button
	eraseDialog *eraseDialog // the dialog erase opened last, kept for tests
	erasedNote  *widget.Label
	consent     *consentSection

	name       *widget.Entry
	gender     *widget.Select
	idNumber   *widget.Entry
	phone      *widget.Entry
	address    *widget.Entry
	studentNo  *widget.Entry
	major      *widget.SelectEntry
	gradYear   *widget.Entry
	homeRegion *widget.SelectEntry
	status     *widget.Select
	workRegion *widget.SelectEntry
	employer   *widget.Entry
	skills     *widget.Entry
	willReturn *widget.Select // willReturnCodes, or nothing when not asked

	records     *fyne.Container // the two record sections, hidden for a new person
	noRecords   *widget.Label   // explains why a new person has no sections
	trainings   *trainingSection
	internships *internshipSection
	sections    []pageSection  // the sections below the form, see newSections
	report      *widget.Button // writes the recommendation report
	recommend   *widget.Button // opens person → jobs: 推荐岗位
	match       *matchView     // the 推荐岗位 dialog opened last, for tests
	refreshing  bool           // set while refreshRecords reloads the sections
	shared      sharedHistory  // the history the sections share during that reload

	body     *fyne.Container // the page inside its scroll container
	scroll   *container.Scroll
	id       string        // ULID of the person shown, "" for a new person
	current  record.Person // the person as loaded, with the full personal values
	revealed bool          // the ID number, phone and address show in full
	onSaved  func(record.Person)
}

// willReturnCodes are the codes of the will-return Select's options, in
// their order.
var willReturnCodes = []string{record.WillReturnYes, record.WillReturnNo}

func (w *window) newPersonPage(onSaved func(record.Person)) *personPage {
	p := &personPage{w: w, onSaved: onSaved}

	p.title = widget.NewLabel("")
	p.title.TextStyle = fyne.TextStyle{Bold: true}

	p.name = widget.NewEntry()
	p.gender = widget.NewSelect([]string{i18n.T("gender.1"), i18n.T("gender.2")}, nil)
	p.gender.PlaceHolder = i18n.T("ui.select.placeholder")
	p.idNumber = widget.NewEntry()
	p.idNumber.SetPlaceHolder(i18n.T("ui.person.id_number.hint"))
	p.phone = widget.NewEntry()
	p.address = widget.NewEntry()
	p.address.SetPlaceHolder(i18n.T("ui.person.address.hint"))
	p.studentNo = widget.NewEntry()
	p.major = newCodePicker(i18n.T("ui.person.major.hint"), func(q string, limit int) []string {
		return display.MajorOptions(w.tables, q, limit)
	})
	p.gradYear = widget.NewEntry()
	p.gradYear.SetPlaceHolder(i18n.T("ui.person.grad_year.hint"))
	regionOptions := func(q string, limit int) []string { return display.RegionOptions(w.tables, q, limit) }
	p.homeRegion = newCodePicker(i18n.T("ui.person.region.hint"), regionOptions)
	var statusLabels []string
	for _, code := range record.Statuses {
		statusLabels = append(statusLabels, i18n.T("status."+code))
	}
	p.status = widget.NewSelect(statusLabels, nil)
	p.status.PlaceHolder = i18n.T("ui.select.placeholder")
	p.workRegion = newCodePicker(i18n.T("ui.person.region.hint"), regionOptions)
	p.employer = widget.NewEntry()
	p.skills = widget.NewEntry()
	p.skills.SetPlaceHolder(i18n.T("ui.person.skills.hint"))
	p.willReturn = widget.NewSelect([]string{i18n.T("will_return.yes"), i18n.T("will_return.no")}, nil)
	p.willReturn.PlaceHolder = i18n.T("ui.person.will_return.unknown")

	p.form = newFieldForm()
	p.form.add(record.FieldName, p.name)
	p.form.add(record.FieldGender, p.gender)
	p.form.add(record.FieldIDNumber, p.idNumber)
	p.form.add(record.FieldPhone, p.phone)
	p.form.add(record.FieldAddress, p.address)
	p.form.add(record.FieldStudentNo, p.studentNo)
	p.form.add(record.FieldMajor, p.major)
	p.form.add(record.FieldGradYear, p.gradYear)
	p.form.add(record.FieldHomeRegion, p.homeRegion)
	p.form.add(record.FieldStatus, p.status)
	p.form.add(record.FieldWorkRegion, p.workRegion)
	p.form.add(record.FieldEmployer, p.employer)
	p.form.add(record.FieldSkills, p.skills)
	p.form.add(record.FieldWillReturn, p.willReturn)

	p.save = widget.NewButtonWithIcon(i18n.T("ui.person.save"), theme.DocumentSaveIcon(), p.onSave)
	p.save.Importance = widget.HighImportance
	p.report = p.newReportButton()
	p.recommend = widget.NewButtonWithIcon(i18n.T("ui.match.action.person"), theme.SearchIcon(), func() {
		if p.id != "" {
			p.match = w.showPersonMatch(p.current)
		}
	})
	actions := container.NewHBox(p.save, p.report, p.recommend)
	ident, _ := w.store.Identity()
	if access.Role(ident.Role).MaySeePersonal() {
		p.reveal = widget.NewButtonWithIcon(i18n.T("ui.person.reveal"), theme.VisibilityIcon(), p.onReveal)
		actions.Add(p.reveal)
	}
	if access.Role(ident.Role).MayErase() {
		p.erase = widget.NewButtonWithIcon(i18n.T("ui.person.erase"), theme.DeleteIcon(), p.onErase)
		p.erase.Importance = widget.DangerImportance
		actions.Add(p.erase)
	}
	p.erasedNote = widget.NewLabel("")
	p.erasedNote.Importance = widget.WarningImportance
	p.erasedNote.Wrapping = fyne.TextWrapWord
	p.consent = p.newConsentSection()

	p.records = container.NewVBox()
	for _, section := range p.newSections() {
		p.sections = append(p.sections, section)
		p.records.Add(section.object())
	}
	p.noRecords = widget.NewLabel(i18n.T("ui.person.records_after_save"))
	p.noRecords.Importance = widget.LowImportance

	p.body = container.NewVBox(
		p.title,
		p.erasedNote,
		p.form.form,
		actions,
		widget.NewSeparator(),
		p.consent.content,
		p.noRecords,
		p.records,
	)
	p.scroll = container.NewVScroll(container.NewPadded(p.body))
	p.content = p.scroll
	p.clear()
	return p
}

// clear empties the form for a new person.
func (p *personPage) clear() {
	p.load(record.Person{})
}

// load shows a person in the form. The zero Person starts a new one.
// Another person than the one shown starts at the top of the page, and a
// reload of the same person keeps the scroll position.
func (p *personPage) load(person record.Person) {
	if person.ID != p.id || person.ID == "" {
		p.scroll.ScrollToTop()
	}
	p.id = person.ID
	switch {
	case person.ID == "":
		p.title.SetText(i18n.T("ui.person.new_title"))
	case person.Erased != "":
		p.title.SetText(i18n.T("ui.person.title", i18n.T("field.erased")))
	default:
		p.title.SetText(i18n.T("ui.person.title", person.Name))
	}
	if person.Erased != "" {
		p.erasedNote.SetText(i18n.T("ui.person.erased_note", erasedAt(person.Erased)))
		p.erasedNote.Show()
	} else {
		p.erasedNote.Hide()
	}

	p.name.SetText(person.Name)
	p.gender.ClearSelected()
	for i, code := range genderCodes {
		if person.Gender == code {
			p.gender.SetSelectedIndex(i)
		}
	}
	p.current = person
	p.showPersonal(person.ID == "")
	p.consent.refresh()
	p.studentNo.SetText(person.StudentNo)
	p.major.SetText(display.MajorLabel(p.w.tables, person.Major))
	p.gradYear.SetText("")
	if person.GradYear != 0 {
		p.gradYear.SetText(strconv.Itoa(person.GradYear))
	}
	p.homeRegion.SetText(display.RegionLabel(p.w.tables, person.HomeRegion))
	p.status.ClearSelected()
	for i, code := range record.Statuses {
		if person.Status == code {
			p.status.SetSelectedIndex(i)
		}
	}
	p.workRegion.SetText(display.RegionLabel(p.w.tables, person.WorkRegion))
	p.employer.SetText(person.Employer)
	p.skills.SetText(person.Skills)
	p.willReturn.ClearSelected()
	for i, code := range willReturnCodes {
		if person.WillReturn == code {
			p.willReturn.SetSelectedIndex(i)
		}
	}

	p.form.showErrors(nil)
	if person.ID == "" {
		p.report.Disable() // a person not yet saved has no records to report
		p.recommend.Disable()
	} else {
		p.report.Enable()
		p.recommend.Enable()
	}
	p.refreshRecords()
}

// showPersonal fills the ID number, phone and address entries: in full and
// editable for a new person or after a reveal, else masked and read-only,
// so that editing them needs a reveal first. An erased person's personal
// entries, the name included, stay empty and read-only.
func (p *personPage) showPersonal(full bool) {
	p.revealed = full
	erased := p.current.Erased != ""
	personal := []*widget.Entry{p.idNumber, p.phone, p.address}
	switch {
	case erased:
		for _, e := range personal {
			e.SetText("")
		}
	case full:
		p.idNumber.SetText(p.current.IDNumber)
		p.phone.SetText(p.current.Phone)
		p.address.SetText(p.current.Address)
	default:
		p.idNumber.SetText(display.MaskID(p.current.IDNumber))
		p.phone.SetText(display.MaskPhone(p.current.Phone))
		p.address.SetText(display.MaskAddress(p.current.Address))
	}
	for _, e := range personal {
		if full && !erased {
			e.Enable()
		} else {
			e.Disable()
		}
	}
	if erased {
		p.name.Disable()
	} else {
		p.name.Enable()
	}

	if p.reveal != nil {
		if full || erased || len(p.personalFieldsSet()) == 0 {
			p.reveal.Hide()
		} else {
			p.reveal.Show()
		}
	}
	if p.erase != nil {
		if p.current.ID == "" || erased {
			p.erase.Hide()
		} else {
			p.erase.Show()
		}
	}
}

// personalFieldsSet returns the masked fields of the current person that
// hold a value, which a reveal shows in full.
func (p *personPage) personalFieldsSet() []string {
	var fields []string
	if p.current.IDNumber != "" {
		fields = append(fields, record.FieldIDNumber)
	}
	if p.current.Phone != "" {
		fields = append(fields, record.FieldPhone)
	}
	if p.current.Address != "" {
		fields = append(fields, record.FieldAddress)
	}
	return fields
}

// onReveal records an access event for the shown person's ID number, phone
// and address, off the UI goroutine, and shows them in full once it is
// written.
func (p *personPage) onReveal() {
	id := p.id
	fields := p.personalFieldsSet()
	if id == "" || len(fields) == 0 {
		return
	}
	p.reveal.Disable()
	p.w.spawn(func() {
		err := p.w.store.RecordReveal(id, fields)
		p.w.do(func() {
			p.reveal.Enable()
			if err != nil {
				dialog.ShowError(errors.New(i18n.T("ui.person.reveal_failed", err)), p.w.win)
				return
			}
			if p.id == id {
				p.showPersonal(true)
			}
		})
	})
}

// relayout lays the page out again after messages or sections appeared or
// disappeared, because a container does not move its other children when
// one of them is shown or hidden.
func (p *personPage) relayout() {
	p.body.Refresh()
	p.content.Refresh()
}

// values returns the form's text keyed by field name, as validate.Person
// takes it.
func (p *personPage) values() map[string]string {
	raw := map[string]string{
		record.FieldName:       p.name.Text,
		record.FieldIDNumber:   p.idNumber.Text,
		record.FieldPhone:      p.phone.Text,
		record.FieldStudentNo:  p.studentNo.Text,
		record.FieldMajor:      display.CodeOf(p.w.tables.Majors, p.major.Text),
		record.FieldGradYear:   p.gradYear.Text,
		record.FieldHomeRegion: display.CodeOf(p.w.tables.Regions, p.homeRegion.Text),
		record.FieldWorkRegion: display.CodeOf(p.w.tables.Regions, p.workRegion.Text),
		record.FieldEmployer:   p.employer.Text,
		record.FieldSkills:     p.skills.Text,
	}
	if !p.revealed {
		// The entries show masked values, which are not the person's.
		raw[record.FieldIDNumber] = p.current.IDNumber
		raw[record.FieldPhone] = p.current.Phone
	}
	if p.current.Erased != "" {
		raw[record.FieldName] = ""
	}
	if i := p.gender.SelectedIndex(); i >= 0 {
		raw[record.FieldGender] = genderCodes[i]
	}
	if i := p.status.SelectedIndex(); i >= 0 {
		raw[record.FieldStatus] = record.Statuses[i]
	}
	if i := p.willReturn.SelectedIndex(); i >= 0 {
		raw[record.FieldWillReturn] = willReturnCodes[i]
	}
	return raw
}

// onSave validates the form and saves the person unless a field is invalid.
// The save runs off the UI goroutine, and the button stays disabled until it
// ends, so a double click cannot create the person twice.
func (p *personPage) onSave() {
	person, errs := validate.Person(p.values(), p.w.tables)
	if p.current.Erased != "" {
		// An erased person has no name or ID number, and needs none.
		errs = slices.DeleteFunc(errs, func(fe validate.FieldError) bool {
			return record.IsPersonal(record.KindPerson, fe.Field)
		})
	}
	address := p.current.Address
	if p.revealed {
		var addressErr *validate.FieldError
		if address, addressErr = checkAddress(p.address.Text); addressErr != nil {
			errs = append(errs, *addressErr)
		}
	}
	p.form.showErrors(errs)
	p.relayout()
	if len(errs) > 0 {
		return
	}
	person.ID = p.id
	person.Address = address
	// Consent has its own buttons; the save keeps it as stored.
	person.Consent, person.ConsentAt = p.current.Consent, p.current.ConsentAt
	person.ConsentMethod, person.ConsentBy = p.current.ConsentMethod, p.current.ConsentBy

	p.save.Disable()
	p.w.spawn(func() {
		saved, err := p.w.store.SavePerson(person)
		p.w.do(func() {
			p.save.Enable()
			var dup *store.DuplicateIDError
			if errors.As(err, &dup) {
				key, args := dup.TranslationKey()
				dialog.ShowError(errors.New(i18n.T(key, args...)), p.w.win)
				return
			}
			if err != nil {
				// The error names the record id and the failed step, never
				// the person's data.
				dialog.ShowError(errors.New(i18n.T("ui.person.save_failed", err)), p.w.win)
				return
			}
			p.id = saved.ID
			p.onSaved(saved)
		})
	})
}

// refreshRecords reloads the training and internship sections, which only a
// saved person has.
func (p *personPage) refreshRecords() {
	if p.id == "" {
		p.records.Hide()
		p.noRecords.Show()
	} else {
		p.noRecords.Hide()
		p.records.Show()
		p.refreshing = true
		for _, section := range p.sections {
			section.refresh()
		}
		p.refreshing, p.shared = false, sharedHistory{}
	}
	p.relayout()
}
