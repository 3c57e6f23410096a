package report

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"mobilefactory/shared/i18n"
)

// Write errors name the folder and what to do, in Chinese, without the
// temporary file the write went through or Go's English text.
func TestWriteErrorMessages(t *testing.T) {
	i18n.SetLocale(i18n.Chinese)
	dir := filepath.Join("D:", "报告")
	path := filepath.Join(dir, "陈思远.pdf")
	tmp := filepath.Join(dir, ".陈思远.pdf.123456.tmp")
	cases := []struct {
		err  error
		want string
	}{
		{&fs.PathError{Op: "createtemp", Path: tmp, Err: syscall.ENOENT}, "文件夹 " + dir + " 不存在，请先创建它或换一个位置"},
		{&fs.PathError{Op: "createtemp", Path: tmp, Err: syscall.EACCES}, "没有写入 " + dir + " 的权限，请换一个有写入权限的文件夹"},
		{&fs.PathError{Op: "createtemp", Path: tmp, Err: syscall.ENOTDIR}, dir + " 不是文件夹"},
		{&fs.PathError{Op: "write", Path: tmp, Err: syscall.ENOSPC}, dir + " 所在的磁盘空间不足"},
		{&os.LinkError{Op: "rename", Old: tmp, New: path, Err: syscall.EIO}, "无法写入 " + path + "：" + syscall.EIO.Error()},
	}
	for _, c := range cases {
		got := writeError(dir, path, c.err).Error()
		if !strings.Contains(got, c.want) {
			t.Errorf("writeError(%v) = %q, want %q", c.err, got, c.want)
		}
		if strings.Contains(got, ".tmp") {
			t.Errorf("writeError(%v) = %q shows the temporary file", c.err, got)
		}
	}
}

func TestCheckOutFile(t *testing.T) {
	i18n.SetLocale(i18n.Chinese)
	dir := t.TempDir()
	storeFile := filepath.Join(dir, "client.db")
	files := map[string]string{"client.db": "bolt", "old.pdf": "%PDF-1.3\n", "short": "%P", "empty.pdf": ""}
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	link := filepath.Join(dir, "link.pdf")
	if err := os.Symlink(storeFile, link); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		path, want string // want is "" when the path passes
	}{
		{filepath.Join(dir, "new.pdf"), ""},
		{filepath.Join(dir, "old.pdf"), ""},
		{filepath.Join(dir, "empty.pdf"), ""},
		{storeFile, "是本机的人才库文件"},
		{filepath.Join(dir, "sub", "..", "client.db"), "是本机的人才库文件"},
		{link, "是本机的人才库文件"},
		{filepath.Join(dir, "short"), "不是 PDF 文件"},
		{dir, "是一个文件夹"},
	}
	for _, c := range cases {
		err := CheckOutFile(c.path, storeFile)
		switch {
		case c.want == "" && err != nil:
			t.Errorf("CheckOutFile(%s) = %v, want nil", c.path, err)
		case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)):
			t.Errorf("CheckOutFile(%s) = %v, want %q", c.path, err, c.want)
		}
	}
}

func TestCheckFolder(t *testing.T) {
	i18n.SetLocale(i18n.Chinese)
	base := t.TempDir()
	newFolder := filepath.Join(base, "新建", "报告")
	if err := CheckFolder(newFolder); err != nil {
		t.Fatalf("CheckFolder(%s) = %v", newFolder, err)
	}
	entries, err := os.ReadDir(newFolder)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 0 {
		t.Errorf("CheckFolder left %d files in %s", len(entries), newFolder)
	}
	plainFile := filepath.Join(base, "notes.txt")
	if err := os.WriteFile(plainFile, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	err = CheckFolder(filepath.Join(plainFile, "报告"))
	if err == nil || !strings.Contains(err.Error(), "不是文件夹") {
		t.Errorf("CheckFolder under a file = %v, want the not-a-folder message", err)
	}
}
