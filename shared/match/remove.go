package match

// Remove takes the person's profile out of every posting and forgets the
// person ID, so Position returns -1 and no query returns the person. It
// reports whether the engine had the profile. Like Put, it needs the
// caller to exclude queries while it runs.
//
// The position stays taken by a blank profile, so the positions of the
// other profiles do not change and Len still counts it. A later Put of the
// same person ID adds the profile at a new position.
func (e *Engine) Remove(personID string) bool {
	i := e.Position(personID)
	if i < 0 {
		return false
	}
	e.post(i, false)
	e.list[i] = Profile{}
	delete(e.pos, personID)
	return true
}
