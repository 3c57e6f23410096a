package ui

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"mobilefactory/desktop/localmatch"
	"mobilefactory/desktop/syncclient"
	"mobilefactory/shared/access"
	"mobilefactory/shared/i18n"
	"mobilefactory/shared/protocol"
	"mobilefactory/shared/record"
)

// matcher sends a match request to the server. The window finds it on
// Options.Status, which is the sync client in the desktop program. A
// window without one shows the central office the offline message.
type matcher interface {
	Match(ctx context.Context, req protocol.MatchRequest) (protocol.MatchResult, error)
}

var _ matcher = (*syncclient.Client)(nil)

// Size of the match dialog, as a share of the window.
const matchDialogShare = 0.85

// remoteMatchTimeout bounds the wait for the server's result of a central
// match. The server returns job, person and transfer results within a few
// seconds (an estimate from the demo pool), so a longer wait means it
// hangs. Tests shorten it.
var remoteMatchTimeout = 30 * time.Second

// matchView is the dialog of one matching request: the ranked rows, the
// selected row's reasons with their points, and the export. The central
// office's request goes to the server, which holds the whole provincial
// pool. Other roles match the store's own people locally. Both are
// read-only: the dialog writes nothing but the exported file.
type matchView struct {
	w       *window
	req     protocol.MatchRequest
	list    string // export.list.* key of the export: the use's name
	remote  bool   // the server answers, not the store
	dialog  *dialog.CustomDialog
	heading *widget.Label
	message *widget.Label
	busy    *widget.ProgressBarInfinite
	rows    *widget.List
	reasons *fyne.Container
	export  *widget.Button
	shown   []matchRow
	pool    int // persons the answer was drawn from
	cancel  context.CancelFunc
	// onDone, if set, runs on the UI goroutine when the answer is shown,
	// for tests.
	onDone func()
}

// showJobMatch opens job → candidates for a demand: 匹配人才.
func (w *window) showJobMatch(d record.Demand, employer string) *matchView {
	heading := i18n.T("ui.match.job.heading", d.Title, employer)
	return w.showMatch(protocol.MatchRequest{Use: protocol.MatchJob, Demand: d.ID}, heading)
}

// showPersonMatch opens person → jobs for a person: 推荐岗位.
func (w *window) showPersonMatch(p record.Person) *matchView {
	heading := i18n.T("ui.match.person.heading", p.Name)
	return w.showMatch(protocol.MatchRequest{Use: protocol.MatchPerson, Person: p.ID}, heading)
}

// showTransferMatch opens the off-season transfer of an employer's people:
// 淡季转移.
func (w *window) showTransferMatch(e record.Employer) *matchView {
	heading := i18n.T("ui.match.transfer.heading", e.Name)
	return w.showMatch(protocol.MatchRequest{Use: protocol.MatchTransfer, Employer: e.ID}, heading)
}

// showMatch shows the dialog and starts the request.
func (w *window) showMatch(req protocol.MatchRequest, heading string) *matchView {
	v := &matchView{w: w, req: req, list: "export.list.match_" + req.Use,
		remote: w.roleOfDevice() == access.Central}
	v.heading = widget.NewLabelWithStyle(heading, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	v.heading.Wrapping = fyne.TextWrapWord
	v.message = widget.NewLabel("")
	v.message.Wrapping = fyne.TextWrapWord
	v.busy = widget.NewProgressBarInfinite()
	v.busy.Hide()
	v.rows = widget.NewList(
		func() int { return len(v.shown) },
		newMatchListRow,
		func(i widget.ListItemID, o fyne.CanvasObject) {
			if i < len(v.shown) {
				updateMatchListRow(o, v.shown[i], i+1, req.Use)
			}
		},
	)
	v.rows.OnSelected = func(i widget.ListItemID) { v.showReasons(i) }
	v.reasons = container.NewVBox()
	v.export = widget.NewButtonWithIcon(i18n.T("ui.match.export"), theme.DownloadIcon(), v.onExport)
	v.export.Disable()

	top := container.NewVBox(v.heading, v.source(), v.message, v.busy)
	reasons := container.NewVScroll(container.NewPadded(v.reasons))
	split := container.NewHSplit(v.rows, reasons)
	split.SetOffset(0.6)
	content := container.NewBorder(top, nil, nil, nil, split)

	v.dialog = dialog.NewCustom(i18n.T("ui.match.title."+req.Use), i18n.T("ui.dialog.close"), content, w.win)
	v.dialog.SetButtons([]fyne.CanvasObject{v.export, widget.NewButton(i18n.T("ui.dialog.close"), v.dialog.Hide)})
	v.dialog.SetOnClosed(func() {
		if v.cancel != nil {
			v.cancel()
		}
	})
	size := w.win.Canvas().Size()
	v.dialog.Resize(fyne.NewSize(size.Width*matchDialogShare, size.Height*matchDialogShare))
	v.dialog.Show()
	v.run()
	return v
}

// source returns the line that says where the answer comes from: the
// provincial pool on the server, or this device's own people.
func (v *matchView) source() *widget.Label {
	key := "ui.match.source.local"
	if v.remote {
		key = "ui.match.source.remote"
	}
	l := widget.NewLabel(i18n.T(key))
	l.Importance = widget.LowImportance
	l.Wrapping = fyne.TextWrapWord
	return l
}

// run sends the request off the UI goroutine, to the server for the
// central office and to the store otherwise, and shows the answer.
func (v *matchView) run() {
	var server matcher
	if v.remote {
		server, _ = v.w.opts.Status.(matcher)
		if server == nil || !v.w.status.Online {
			v.showMessage(i18n.T("ui.match.offline"), widget.DangerImportance)
			return
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	v.cancel = cancel
	v.busy.Show()
	v.busy.Start()
	v.showMessage(i18n.T("ui.match.running"), widget.MediumImportance)

	req := v.req
	req.Locale = i18n.Locale()
	st, tables := v.w.store, v.w.tables
	v.w.spawn(func() {
		var res protocol.MatchResult
		var err error
		if server != nil {
			res, err = askServer(ctx, server, req, remoteMatchTimeout)
		} else {
			res, err = localmatch.Answer(ctx, st, req)
		}
		var rows []matchRow
		if err == nil {
			rows = newMatchRows(res.Rows, tables, st.Demand)
		}
		v.w.do(func() { v.finish(res, rows, err) })
	})
}

// errMatchTimeout is returned by askServer when the server has not
// returned a result within the timeout.
var errMatchTimeout = errors.New("match request timed out: the server did not respond")

// askServer sends req and waits at most timeout for the result. The
// client's own waits (the TLS handshake, the frame read) are longer than a
// person waits, so the request runs on a goroutine of its own that ends
// with those waits or when ctx is cancelled.
func askServer(ctx context.Context, server matcher, req protocol.MatchRequest, timeout time.Duration) (protocol.MatchResult, error) {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	type answer struct {
		res protocol.MatchResult
		err error
	}
	done := make(chan answer, 1)
	go func() {
		res, err := server.Match(ctx, req)
		done <- answer{res, err}
	}()
	select {
	case a := <-done:
		if errors.Is(a.err, context.DeadlineExceeded) {
			return a.res, fmt.Errorf("%w: %v", errMatchTimeout, a.err)
		}
		return a.res, a.err
	case <-ctx.Done():
		if errors.Is(ctx.Err(), context.DeadlineExceeded) {
			return protocol.MatchResult{}, errMatchTimeout
		}
		return protocol.MatchResult{}, ctx.Err()
	}
}

// finish shows the answer or the error, and selects the first row so its
// reasons show at once.
func (v *matchView) finish(res protocol.MatchResult, rows []matchRow, err error) {
	v.busy.Stop()
	v.busy.Hide()
	defer func() {
		if v.onDone != nil {
			v.onDone()
		}
	}()
	if err != nil {
		if errors.Is(err, context.Canceled) {
			return
		}
		v.showMessage(v.errorText(err), widget.DangerImportance)
		return
	}
	v.shown, v.pool = rows, res.Pool
	v.rows.Refresh()
	// The server's notes say why a result is empty or what to know about
	// it, such as a demand that no longer recruits.
	notes := strings.Join(res.Notes, "\n")
	if len(rows) == 0 {
		text := v.noneText(res.Pool)
		if notes != "" {
			text = notes
		}
		v.showMessage(text, widget.WarningImportance)
		v.reasons.RemoveAll()
		return
	}
	if notes != "" {
		v.showMessage(v.countText(len(rows), res)+"\n"+notes, widget.WarningImportance)
	} else {
		v.showMessage(v.countText(len(rows), res), widget.LowImportance)
	}
	v.export.Enable()
	v.rows.Select(0)
}

// countText returns the message over the rows: how many rows, and what
// they were drawn from, which the result's Pool counts. That is the
// eligible people for job and transfer, and the open demands for person.
func (v *matchView) countText(rows int, res protocol.MatchResult) string {
	if v.req.Use == protocol.MatchPerson {
		return i18n.T("ui.match.count.person", rows, res.Pool)
	}
	return i18n.T("ui.match.count", rows, res.Pool)
}

// noneText returns the message of an answer without rows, which says
// who takes part in the use's matching.
func (v *matchView) noneText(pool int) string {
	if v.req.Use == protocol.MatchJob {
		return i18n.T("ui.match.none.job", pool)
	}
	return i18n.T("ui.match.none." + v.req.Use)
}

// errorText returns the user's message for a failed request. A central
// request's failures get messages of their own, because the sync
// messages speak of the device's changes, which a match does not send.
func (v *matchView) errorText(err error) string {
	switch {
	case errors.Is(err, errMatchTimeout):
		return i18n.T("ui.match.timeout", int(remoteMatchTimeout/time.Second))
	case errors.Is(err, syncclient.ErrUnreachable):
		return i18n.T("ui.match.offline")
	case errors.Is(err, localmatch.ErrNotFound):
		return i18n.T("ui.match.not_found")
	case errors.Is(err, localmatch.ErrUnsupportedUse):
		return i18n.T("ui.match.unsupported", v.req.Use)
	case !v.remote:
		return i18n.T("ui.match.local_failed", err)
	case errors.Is(err, protocol.ErrNotFound):
		// The client's message names the demand, person or employer.
		return syncclient.Message(err)
	case errors.Is(err, protocol.ErrRole):
		return i18n.T("ui.match.role")
	case errors.Is(err, protocol.ErrTooLarge), errors.Is(err, protocol.ErrCorrupt):
		return i18n.T("ui.match.too_large")
	case errors.Is(err, syncclient.ErrNotEnrolled), errors.Is(err, protocol.ErrAuth), errors.Is(err, protocol.ErrRevoked):
		return syncclient.Message(err)
	}
	return i18n.T("ui.match.server_failed")
}

func (v *matchView) showMessage(text string, importance widget.Importance) {
	v.message.Importance = importance
	v.message.SetText(text)
}

// showReasons lists the reasons of row i with their points, such as
// 专业对口：数控技术 +40.
func (v *matchView) showReasons(i widget.ListItemID) {
	v.reasons.RemoveAll()
	if i < 0 || i >= len(v.shown) {
		return
	}
	r := v.shown[i]
	title := widget.NewLabelWithStyle(i18n.T("ui.match.reasons", r.row.Name, formatPoints(r.row.Score)),
		fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	title.Wrapping = fyne.TextWrapWord
	v.reasons.Add(title)
	switch {
	case v.req.Use == protocol.MatchTransfer:
		target := widget.NewLabel(r.transferTarget())
		target.Wrapping = fyne.TextWrapWord
		v.reasons.Add(target)
	case r.row.Demand == "":
		v.reasons.Add(widget.NewLabel(i18n.T("ui.match.transfer.no_job")))
	}
	for _, reason := range r.row.Reasons {
		l := widget.NewLabel(reasonLine(reason))
		l.Wrapping = fyne.TextWrapWord
		v.reasons.Add(l)
	}
}

// reasonLine returns a reason with its signed points: 专业对口：数控技术 +40.
func reasonLine(r protocol.MatchReason) string {
	points := formatPoints(r.Points)
	if r.Points >= 0 {
		points = "+" + points
	}
	return r.Text + " " + points
}

// formatPoints writes points without a needless fraction: 40, 12.5.
func formatPoints(p float64) string { return strconv.FormatFloat(p, 'f', -1, 64) }
