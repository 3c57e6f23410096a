package match

import (
	"cmp"
	"slices"
	"strconv"
	"strings"

	"github.com/RoaringBitmap/roaring/v2"

	"mobilefactory/shared/assessment"
	"mobilefactory/shared/record"
)

// dict interns strings into small integer ids. Id 0 is the empty string,
// so a zero id in a Profile means "none".
type dict struct {
	ids   map[string]uint32
	names []string
}

func newDict() dict { return dict{ids: map[string]uint32{"": 0}, names: []string{""}} }

// intern returns the id of s, adding it when it is new.
func (d *dict) intern(s string) uint32 {
	if id, ok := d.ids[s]; ok {
		return id
	}
	id := uint32(len(d.names))
	d.ids[s] = id
	d.names = append(d.names, s)
	return id
}

// lookup returns the id of s, or 0 when s was never interned.
func (d *dict) lookup(s string) uint32 { return d.ids[s] }

// Profile flags.
const (
	flagEligible   uint8 = 1 << iota // passes the hard filters of matching
	flagActive                       // consented and not deleted
	flagSeeking                      // Status is record.StatusSeeking
	flagEmployed                     // Status is record.StatusEmployed
	flagWillReturn                   // WillReturn is record.WillReturnYes
)

// Profile is the compact form of a Candidate that the Engine scores. Its
// strings are interned into the Engine's dictionaries, and its lists
// (certificates, skills, trainings, internships) are ranges of the
// Engine's arena, so a profile holds no pointer but the person ID.
type Profile struct {
	ID       string // person ULID
	Major    uint16 // interned major code, 0 for none
	Class    uint16 // interned first four digits of the major code
	Category uint16 // interned first two digits
	Interest uint16 // RIASEC interest code of the latest approved assessment, see packInterest
	// Region is the person's current region as a GB/T 2260 number: the
	// work region when employed, else the home region. 0 when unknown.
	Region   uint32
	Employer uint32 // interned Person.Employer
	Flags    uint8
	// InternshipPoints is the sum of the points of the counted
	// internships, which do not depend on the job.
	InternshipPoints uint8
	// Lists in the arena from ListStart: certificates, then skills, then
	// completed trainings, then internships (three words each).
	NumCerts       uint8
	NumSkills      uint8
	NumTrainings   uint8
	NumInternships uint8
	ListStart      uint32
}

// Arena word layouts.
const (
	certLevelBits  = 4  // a certificate word is title<<certLevelBits | skill rank
	trainHoursBits = 12 // a training word is programme<<trainHoursBits | hours
	maxTrainHours  = 1<<trainHoursBits - 1
)

// programmeInfo is the Engine's summary of a training programme.
type programmeInfo struct {
	title    string
	demand   uint32   // interned Programme.Demand, the job demand it trains for
	tailored bool     // job-tailored: made for an employer or titled 定制/订单/岗位
	classes  []uint16 // interned major classes whose major names its title names
}

// Profiles compiles candidates into compact profiles. Add every candidate,
// then pass it to NewEngine.
type Profiles struct {
	list  []Profile
	arena []uint32
	pos   map[string]int32 // person ID to position in list

	majors, classes, categories dict
	skills                      dict // skills, certificate titles and module names
	texts                       dict // employer names, positions and programme ids
	programmes                  []programmeInfo
	programmeIDs                dict // programme ids, aligned with programmes
}

// NewProfiles returns an empty set of profiles.
func NewProfiles() *Profiles {
	ps := &Profiles{
		pos:    map[string]int32{},
		majors: newDict(), classes: newDict(), categories: newDict(),
		skills: newDict(), texts: newDict(), programmeIDs: newDict(),
		programmes: []programmeInfo{{}},
	}
	// Intern every major of the catalogue first, so that demands naming a
	// major, class or category that no profile has yet still compile.
	t := loadTables()
	codes := make([]string, 0, len(t.majors))
	for code := range t.majors {
		codes = append(codes, code)
	}
	slices.Sort(codes)
	for _, code := range codes {
		ps.majors.intern(code)
		ps.classes.intern(code[:4])
		ps.categories.intern(code[:2])
	}
	return ps
}

// Len returns the number of profiles.
func (ps *Profiles) Len() int { return len(ps.list) }

// Profile returns the profile at position i.
func (ps *Profiles) Profile(i int) *Profile { return &ps.list[i] }

// Position returns the position of the person's profile, or -1.
func (ps *Profiles) Position(personID string) int {
	if i, ok := ps.pos[personID]; ok {
		return int(i)
	}
	return -1
}

// Add compiles c and stores it, replacing the profile of the same person
// ID if there is one, and returns its position. Callers pass approved
// records only (see the package documentation). An assessment whose
// profile does not decode counts as no assessment.
func (ps *Profiles) Add(c Candidate) int {
	p := ps.compile(&c)
	if i, ok := ps.pos[p.ID]; ok {
		ps.list[i] = p
		return int(i)
	}
	ps.pos[p.ID] = int32(len(ps.list))
	ps.list = append(ps.list, p)
	return len(ps.list) - 1
}

func (ps *Profiles) compile(c *Candidate) Profile {
	person := &c.Person
	p := Profile{ID: person.ID, Employer: ps.texts.intern(person.Employer)}
	if m := person.Major; len(m) >= 2 {
		p.Major = uint16(ps.majors.intern(m))
		p.Category = uint16(ps.categories.intern(m[:2]))
		if len(m) >= 4 {
			p.Class = uint16(ps.classes.intern(m[:4]))
		}
	}
	p.Flags = personFlags(c)
	p.Region = regionNumber(person.HomeRegion)
	if person.Status == record.StatusEmployed && person.WorkRegion != "" {
		p.Region = regionNumber(person.WorkRegion)
	}
	if a := c.Assessment.Profile; a != "" {
		if prof, err := assessment.ParseProfile(a); err == nil {
			p.Interest = packInterest(prof.Code())
		}
	}

	p.ListStart = uint32(len(ps.arena))
	skills := map[uint32]bool{}
	for _, ct := range c.Certificates {
		rank := skillRank(ct.SkillLevel)
		if rank < 0 || ct.Title == "" {
			continue
		}
		title := ps.skills.intern(ct.Title)
		skills[title] = true
		ps.arena = append(ps.arena, title<<certLevelBits|uint32(rank))
		p.NumCerts++
		if p.NumCerts == 255 {
			break
		}
	}
	var completed []uint32
	for i := range c.Trainings {
		tr := &c.Trainings[i]
		if !tr.Completed || tr.Programme == record.BasicProgramme {
			continue
		}
		prog := ps.programme(c, tr.Programme)
		hours := min(max(tr.Hours, 0), maxTrainHours)
		completed = append(completed, prog<<trainHoursBits|uint32(hours))
		if full, ok := c.Programmes[tr.Programme]; ok {
			for _, m := range full.Modules {
				skills[ps.skills.intern(m.Name)] = true
			}
		}
	}
	for _, s := range record.SplitList(person.Skills) {
		skills[ps.skills.intern(s)] = true
	}
	delete(skills, 0)
	sorted := make([]uint32, 0, len(skills))
	for s := range skills {
		sorted = append(sorted, s)
	}
	slices.Sort(sorted)
	sorted = sorted[:min(len(sorted), 255)]
	ps.arena = append(ps.arena, sorted...)
	p.NumSkills = uint8(len(sorted))
	completed = completed[:min(len(completed), 255)]
	ps.arena = append(ps.arena, completed...)
	p.NumTrainings = uint8(len(completed))

	for _, in := range bestInternships(c.Internships) {
		ps.arena = append(ps.arena, uint32(in.kindRating), ps.texts.intern(in.employer), ps.texts.intern(in.position))
		p.NumInternships++
		p.InternshipPoints += uint8(internshipPoints[in.kindRating])
	}
	return p
}

// personFlags applies the hard filters. A person is eligible when
// consented, not deleted, not in further study, and available: seeking
// work, or employed and willing to return to Jiangxi from a job outside
// it. Employment transfer takes active employed people on its own terms.
func personFlags(c *Candidate) uint8 {
	p := &c.Person
	var f uint8
	if !c.Deleted && p.Consented() {
		f |= flagActive
	}
	switch p.Status {
	case record.StatusSeeking:
		f |= flagSeeking
	case record.StatusEmployed:
		f |= flagEmployed
	}
	if p.WillReturn == record.WillReturnYes {
		f |= flagWillReturn
	}
	outside := len(p.WorkRegion) >= 2 && p.WorkRegion[:2] != jiangxi
	available := f&flagSeeking != 0 || (f&flagEmployed != 0 && f&flagWillReturn != 0 && outside)
	if f&flagActive != 0 && available {
		f |= flagEligible
	}
	return f
}

// programme returns the interned id of a programme a training names,
// recording its title, demand and relevant classes the first time.
func (ps *Profiles) programme(c *Candidate, id string) uint32 {
	pid := ps.programmeIDs.intern(id)
	if int(pid) < len(ps.programmes) {
		return pid
	}
	info := programmeInfo{title: id}
	if full, ok := c.Programmes[id]; ok {
		info.title = full.Title
		info.demand = ps.texts.intern(full.Demand)
		info.tailored = full.Employer != "" || full.Demand != "" || isTailored(full.Title)
	} else {
		info.tailored = isTailored(id)
	}
	t := loadTables()
	for class, stems := range t.classStems {
		for _, st := range stems {
			if strings.Contains(info.title, st) {
				if cid := ps.classes.lookup(class); cid != 0 {
					info.classes = append(info.classes, uint16(cid))
				}
				break
			}
		}
	}
	slices.Sort(info.classes)
	ps.programmes = append(ps.programmes, info)
	return pid
}

// internship is a rated internship kept for scoring.
type internship struct {
	kindRating uint8 // index into internshipPoints
	employer   string
	position   string
}

// Internship kinds and ratings that score, in internshipPoints order.
const (
	internExcellent uint8 = iota
	internGood
	experienceExcellent
	experienceGood
)

var internshipPoints = [...]int{PointsInternshipExcellent, PointsInternshipGood, PointsExperienceExcellent, PointsExperienceGood}
var internshipKeys = [...]string{KeyInternshipExcellent, KeyInternshipGood, KeyExperienceExcellent, KeyExperienceGood}

// bestInternships returns the maxInternships rated internships worth the
// most, as internshipReasons credits them.
func bestInternships(ins []record.Internship) []internship {
	var out []internship
	var ids []string
	for i := range ins {
		in := &ins[i]
		var kr uint8
		experience := in.Kind == record.InternExperience
		switch {
		case in.Rating == 5 && experience:
			kr = experienceExcellent
		case in.Rating == 5:
			kr = internExcellent
		case in.Rating == 4 && experience:
			kr = experienceGood
		case in.Rating == 4:
			kr = internGood
		default:
			continue
		}
		out = append(out, internship{kr, in.Employer, in.Position})
		ids = append(ids, in.ID)
	}
	order := make([]int, len(out))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int {
		if pa, pb := internshipPoints[out[a].kindRating], internshipPoints[out[b].kindRating]; pa != pb {
			return pb - pa
		}
		if ids[a] < ids[b] {
			return -1
		}
		return 1
	})
	best := make([]internship, 0, maxInternships)
	for _, i := range order[:min(len(order), maxInternships)] {
		best = append(best, out[i])
	}
	return best
}

// packInterest packs a RIASEC code such as "RIC" into three 3-bit letters
// (1 R … 6 C), the first letter lowest. Letters outside RIASEC end it.
func packInterest(code string) uint16 {
	var v uint16
	for i := 0; i < len(code) && i < 3; i++ {
		n := riasecLetter(code[i])
		if n == 0 {
			break
		}
		v |= uint16(n) << (3 * i)
	}
	return v
}

func riasecLetter(b byte) uint8 {
	for i := range len(riasecLetters) {
		if riasecLetters[i] == b {
			return uint8(i + 1)
		}
	}
	return 0
}

const riasecLetters = "RIASEC"

// unpackInterest returns the letters packInterest packed.
func unpackInterest(v uint16) string {
	var b []byte
	for ; v != 0; v >>= 3 {
		b = append(b, riasecLetters[v&7-1])
	}
	return string(b)
}

// regionNumber parses a six-digit GB/T 2260 code, returning 0 otherwise.
func regionNumber(code string) uint32 {
	if len(code) != 6 {
		return 0
	}
	n, err := strconv.ParseUint(code, 10, 32)
	if err != nil {
		return 0
	}
	return uint32(n)
}

func regionCode(n uint32) string { return strconv.FormatUint(uint64(n), 10) }

// Engine runs matching queries over a fixed set of profiles through
// roaring inverted indexes. Queries only read it, so several goroutines
// may query at once. Put changes it and needs the caller to exclude
// queries while it runs.
type Engine struct {
	*Profiles
	eligible  *roaring.Bitmap // flagEligible
	returners *roaring.Bitmap // eligible, employed outside Jiangxi, willing to return
	willing   *roaring.Bitmap // eligible, living outside Jiangxi, willing to return
	// Postings by interned id: major, class, category, certificate title,
	// skill (including certificate titles and module names), current
	// employer, and the prefecture and province of the current region.
	byMajor, byClass, byCategory []*roaring.Bitmap
	byCert, bySkill, byEmployer  []*roaring.Bitmap
	byProgramme                  []*roaring.Bitmap // completed trainings by programme
	byPrefecture, byProvince     map[uint32]*roaring.Bitmap
}

// NewEngine indexes ps. The Engine takes ps over: add or replace
// profiles through Engine.Put afterwards. NewEngine reorders the profiles
// (see cluster), so positions that Add returned before change and must be
// looked up again with Position.
//
// NOTE: positions are uint32 bitmap entries, so a pool is limited to 2^32
// profiles.
func NewEngine(ps *Profiles) *Engine {
	e := &Engine{
		Profiles: ps, eligible: roaring.New(), returners: roaring.New(), willing: roaring.New(),
		byPrefecture: map[uint32]*roaring.Bitmap{}, byProvince: map[uint32]*roaring.Bitmap{},
	}
	ps.cluster()
	for i := range ps.list {
		e.post(i, true)
	}
	e.optimize()
	return e
}

// cluster reorders the profiles by major category, class and major, and
// copies the arena in the same order. A query's candidates then lie in a
// few runs of neighbouring profiles, so scoring reads memory in order
// and the postings compress into runs. Positions from before change, so
// callers look them up again by person ID (Position).
func (ps *Profiles) cluster() {
	order := make([]int32, len(ps.list))
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortFunc(order, func(a, b int32) int {
		pa, pb := &ps.list[a], &ps.list[b]
		if c := cmp.Compare(pa.Category, pb.Category); c != 0 {
			return c
		}
		if c := cmp.Compare(pa.Class, pb.Class); c != 0 {
			return c
		}
		if c := cmp.Compare(pa.Major, pb.Major); c != 0 {
			return c
		}
		return cmp.Compare(a, b)
	})
	list := make([]Profile, len(ps.list))
	arena := make([]uint32, 0, len(ps.arena))
	for n, i := range order {
		p := ps.list[i]
		words := ps.arena[p.ListStart : p.ListStart+p.listWords()]
		p.ListStart = uint32(len(arena))
		arena = append(arena, words...)
		list[n] = p
		ps.pos[p.ID] = int32(n)
	}
	ps.list, ps.arena = list, arena
}

// listWords returns the number of arena words the profile uses.
func (p *Profile) listWords() uint32 {
	return uint32(p.NumCerts) + uint32(p.NumSkills) + uint32(p.NumTrainings) + 3*uint32(p.NumInternships)
}

// Put adds or replaces the profile of c's person and updates the postings.
func (e *Engine) Put(c Candidate) int {
	if i := e.Position(c.Person.ID); i >= 0 {
		e.post(i, false)
	}
	i := e.Add(c)
	e.post(i, true)
	return i
}

// post adds position i to, or removes it from, every posting of its profile.
func (e *Engine) post(i int, add bool) {
	p := &e.list[i]
	pos := uint32(i)
	set := func(b *roaring.Bitmap) {
		if add {
			b.Add(pos)
		} else {
			b.Remove(pos)
		}
	}
	at := func(postings *[]*roaring.Bitmap, id uint32) {
		for uint32(len(*postings)) <= id {
			*postings = append(*postings, nil)
		}
		if (*postings)[id] == nil {
			(*postings)[id] = roaring.New()
		}
		set((*postings)[id])
	}
	keyed := func(postings map[uint32]*roaring.Bitmap, key uint32) {
		b, ok := postings[key]
		if !ok {
			b = roaring.New()
			postings[key] = b
		}
		set(b)
	}

	if p.Flags&flagEligible != 0 {
		set(e.eligible)
		outside := p.Region != 0 && p.Region/10000 != jiangxiNumber
		if outside && p.Flags&flagWillReturn != 0 {
			set(e.willing)
		}
		if outside && p.Flags&flagEmployed != 0 {
			set(e.returners)
		}
	}
	if p.Major != 0 {
		at(&e.byMajor, uint32(p.Major))
	}
	if p.Class != 0 {
		at(&e.byClass, uint32(p.Class))
	}
	if p.Category != 0 {
		at(&e.byCategory, uint32(p.Category))
	}
	for _, w := range e.certs(p) {
		at(&e.byCert, w>>certLevelBits)
	}
	for _, s := range e.skillsOf(p) {
		at(&e.bySkill, s)
	}
	if p.Employer != 0 {
		at(&e.byEmployer, p.Employer)
	}
	for _, w := range e.trainings(p) {
		at(&e.byProgramme, w>>trainHoursBits)
	}
	if p.Region != 0 {
		keyed(e.byPrefecture, p.Region/100)
		keyed(e.byProvince, p.Region/10000)
	}
}

func (e *Engine) optimize() {
	e.eligible.RunOptimize()
	e.returners.RunOptimize()
	e.willing.RunOptimize()
	for _, postings := range [][]*roaring.Bitmap{e.byMajor, e.byClass, e.byCategory, e.byCert, e.bySkill, e.byEmployer, e.byProgramme} {
		for _, b := range postings {
			if b != nil {
				b.RunOptimize()
			}
		}
	}
}

// jiangxiNumber is the province part of Jiangxi's region numbers.
const jiangxiNumber = 36

func (ps *Profiles) certs(p *Profile) []uint32 {
	return ps.arena[p.ListStart : p.ListStart+uint32(p.NumCerts)]
}

func (ps *Profiles) skillsOf(p *Profile) []uint32 {
	start := p.ListStart + uint32(p.NumCerts)
	return ps.arena[start : start+uint32(p.NumSkills)]
}

func (ps *Profiles) trainings(p *Profile) []uint32 {
	start := p.ListStart + uint32(p.NumCerts) + uint32(p.NumSkills)
	return ps.arena[start : start+uint32(p.NumTrainings)]
}

func (ps *Profiles) internships(p *Profile) []uint32 {
	start := p.ListStart + uint32(p.NumCerts) + uint32(p.NumSkills) + uint32(p.NumTrainings)
	return ps.arena[start : start+3*uint32(p.NumInternships)]
}
