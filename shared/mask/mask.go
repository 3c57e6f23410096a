// Package mask hides the middle of personal values (resident ID number,
// phone, address) before they reach a screen, an export or a command's
// output, for roles that may not see them in full.
package mask

import (
	"strings"
	"unicode/utf8"
)

// ID hides the middle of a resident ID number: 36012120020101099X
// becomes 3601**********099X. The first four characters (province and
// prefecture) and the last four stay visible, so a clerk can tell two
// people apart without the screen showing a whole number. A value of eight
// characters or fewer is hidden completely.
func ID(id string) string {
	n := utf8.RuneCountInString(id)
	if n <= 8 {
		return strings.Repeat("*", n)
	}
	runes := []rune(id)
	return string(runes[:4]) + strings.Repeat("*", n-8) + string(runes[n-4:])
}

// regionSuffixes end the administrative parts of a Chinese address:
// province, city, prefecture, district, county and banner.
const regionSuffixes = "省市州盟区县旗"

// maxRegionRunes bounds the region part of an address; the longest
// province, city and county names together stay below it.
const maxRegionRunes = 20

// Address keeps only the region part of an address, up to its last
// administrative suffix before any digit, and hides the rest:
// 江西省南昌市红谷滩区丰和中大道1188号 becomes 江西省南昌市红谷滩区***.
// An address without a region part becomes ***.
func Address(address string) string {
	if address == "" {
		return ""
	}
	runes := []rune(address)
	end := 0
	for i, r := range runes {
		if i >= maxRegionRunes || (r >= '0' && r <= '9') {
			break
		}
		if strings.ContainsRune(regionSuffixes, r) {
			end = i + 1
		}
	}
	return string(runes[:end]) + "***"
}

// Phone hides the middle of a phone number: 13907971111 becomes
// 139****1111. A value of seven characters or fewer is hidden completely.
func Phone(phone string) string {
	n := utf8.RuneCountInString(phone)
	if n <= 7 {
		return strings.Repeat("*", n)
	}
	runes := []rune(phone)
	return string(runes[:3]) + strings.Repeat("*", n-7) + string(runes[n-4:])
}
