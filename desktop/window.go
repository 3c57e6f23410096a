package main

import (
	"context"
	"errors"
	"os"
	"os/signal"
	"runtime"
	"sync"
	"syscall"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"

	"mobilefactory/desktop/syncclient"
	"mobilefactory/desktop/ui"
	"mobilefactory/shared/cli"
	"mobilefactory/shared/i18n"
)

// appID names the app for Fyne's preferences and storage.
const appID = "cn.gov.jiangxi.mobilefactory"

func runWindow(args []string) error {
	fs := cli.FlagSet(program, cli.Command{Name: "window", Summary: "desktop.window.summary", Usage: "desktop.window.usage"})
	dataDir := fs.String("data", defaultDataDir(), "desktop.flag.data")
	if err := cli.Parse(fs, args); err != nil {
		return err
	}
	if !hasDisplay() {
		return errors.New(i18n.T("desktop.window.no_display"))
	}
	logger := newLogger()
	st, err := openStore(*dataDir, logger)
	if err != nil {
		return err
	}
	defer st.Close()

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	client := syncclient.New(st, syncclient.Options{Logger: logger})
	var wg sync.WaitGroup
	var syncOnce sync.Once
	// Sync starts once an account has signed in and the device is
	// enrolled: before that the store cannot read its identity.
	startSync := func() {
		syncOnce.Do(func() {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_ = client.Run(ctx)
			}()
		})
	}

	a := app.NewWithID(appID)
	w := ui.New(a, st, ui.Options{
		Status: client,
		OnLogin: func() {
			if _, ok := st.Identity(); ok {
				startSync()
			}
		},
		Enrol: func(server, code string) error {
			if err := syncclient.Enrol(ctx, st, server, code); err != nil {
				return errors.New(syncclient.Message(err))
			}
			startSync()
			return nil
		},
	})

	// Ctrl-C in the terminal closes the window the same way the user would.
	signals := make(chan os.Signal, 1)
	signal.Notify(signals, os.Interrupt, syscall.SIGTERM)
	defer signal.Stop(signals)
	go func() {
		select {
		case <-signals:
			fyne.Do(a.Quit)
		case <-ctx.Done():
		}
	}()

	w.ShowAndRun()
	cancel()
	wg.Wait()
	return nil
}

// hasDisplay reports whether a window can open. On Linux and the BSDs that
// needs an X11 or Wayland display; Windows and macOS always have one.
func hasDisplay() bool {
	switch runtime.GOOS {
	case "linux", "freebsd", "openbsd", "netbsd":
		return os.Getenv("DISPLAY") != "" || os.Getenv("WAYLAND_DISPLAY") != ""
	}
	return true
}
