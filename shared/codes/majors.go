package codes

// MajorClass returns the class (专业类) of a major, such as 5102 计算机类 for
// 510203 软件技术. Matching scores majors of the same class as related.
func (t *Tables) MajorClass(majorCode string) (Entry, bool) {
	major, ok := t.Majors.ByCode(majorCode)
	if !ok {
		return Entry{}, false
	}
	return t.MajorClasses.ByCode(major.Parent)
}

// MajorCategory returns the category (专业大类) of a major, such as
// 51 电子与信息大类 for 510203 软件技术.
func (t *Tables) MajorCategory(majorCode string) (Entry, bool) {
	class, ok := t.MajorClass(majorCode)
	if !ok {
		return Entry{}, false
	}
	return t.MajorCategories.ByCode(class.Parent)
}
