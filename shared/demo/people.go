package demo

import (
	"math/rand/v2"
	"strconv"
	"time"

	"mobilefactory/shared/record"
)

// surnames with weights roughly proportional to their share of the Han
// population, with the surnames common in Jiangxi (熊, 涂, 饶, 聂, 钟) raised.
var surnames = newWeighted(
	[]string{
		"王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周",
		"徐", "孙", "马", "朱", "胡", "郭", "何", "林", "罗", "高",
		"郑", "梁", "谢", "宋", "唐", "许", "韩", "邓", "冯", "曹",
		"彭", "曾", "肖", "田", "董", "潘", "袁", "蔡", "蒋", "余",
		"于", "杜", "叶", "程", "魏", "苏", "吕", "丁", "任", "卢",
		"姚", "沈", "钟", "姜", "崔", "谭", "陆", "范", "汪", "廖",
		"石", "金", "贾", "夏", "付", "方", "邹", "熊", "白", "孟",
		"秦", "邱", "江", "尹", "薛", "段", "雷", "龙", "黎", "史",
		"陶", "贺", "毛", "郝", "顾", "龚", "邵", "万", "钱", "戴",
		"严", "涂", "饶", "聂", "甘", "章", "游", "温", "欧阳", "易",
	},
	[]float64{
		7.1, 7.0, 6.7, 5.6, 4.8, 3.1, 2.3, 2.1, 2.0, 1.9,
		1.6, 1.5, 1.2, 1.3, 1.6, 1.1, 1.1, 1.0, 1.0, 1.0,
		0.8, 0.8, 0.8, 0.7, 0.7, 0.6, 0.6, 0.6, 0.6, 0.5,
		0.6, 0.6, 0.6, 0.4, 0.4, 0.4, 0.4, 0.4, 0.4, 0.5,
		0.4, 0.3, 0.3, 0.4, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3,
		0.3, 0.3, 0.5, 0.3, 0.2, 0.2, 0.2, 0.2, 0.3, 0.3,
		0.2, 0.2, 0.2, 0.2, 0.3, 0.2, 0.3, 0.6, 0.2, 0.2,
		0.2, 0.2, 0.3, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2,
		0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.3, 0.1, 0.1,
		0.1, 0.4, 0.4, 0.4, 0.2, 0.3, 0.2, 0.2, 0.05, 0.3,
	},
)

// Given-name characters. A two-character given name takes its first
// character from givenFirst and its second from the gendered list.
var (
	givenFirst  = []rune("子思晓雨文嘉佳宇欣俊志建家晨天一梦诗雅静明宏海春秋振永立")
	givenMale   = []rune("伟强磊军洋勇杰涛明超辉鹏华飞斌宇浩凯健帆旭宁龙林波阳亮成轩博昊睿泽航鑫毅锐峰豪翔")
	givenFemale = []rune("芳娜敏静丽艳娟霞燕玲婷雪琳慧颖欣怡佳倩萍红梅琴蕾悦晶瑶雯璐洁丹媛露月楠馨妍琪萱")
)

// Uyghur names written with the middle dot: given name · father's name.
var (
	minorityMale   = []string{"买买提", "艾合买提", "阿不都热依木", "努尔艾力", "伊力哈木", "艾尔肯"}
	minorityFemale = []string{"阿依古丽", "古丽娜尔", "迪丽努尔", "热依拉", "米热古丽", "帕提古丽"}
	minorityFather = []string{"吐尔逊", "艾力", "阿不都", "艾山", "热合曼", "卡德尔", "阿布都", "依明"}
)

const minorityShare = 0.005

func personName(r *rand.Rand, gender string) string {
	if chance(r, minorityShare) {
		given := minorityMale
		if gender == record.GenderFemale {
			given = minorityFemale
		}
		return given[r.IntN(len(given))] + "·" + minorityFather[r.IntN(len(minorityFather))]
	}
	second := givenMale
	if gender == record.GenderFemale {
		second = givenFemale
	}
	name := surnames.pick(r)
	if chance(r, 0.25) {
		return name + string(second[r.IntN(len(second))])
	}
	return name + string(givenFirst[r.IntN(len(givenFirst))]) + string(second[r.IntN(len(second))])
}

// idWeights are the GB 11643 weights of the first 17 characters.
var idWeights = [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}

// checkDigit returns the GB 11643 check character (ISO 7064 MOD 11-2) of
// the first 17 digits of a resident ID number.
func checkDigit(first17 string) byte {
	sum := 0
	for i := range 17 {
		sum += int(first17[i]-'0') * idWeights[i]
	}
	return "10X98765432"[sum%11]
}

// graduationDay is the day the generator takes as graduation in every year.
func graduationDay(year int) time.Time { return time.Date(year, time.June, 30, 0, 0, 0, 0, time.UTC) }

// birthDate returns a birth date that makes the person 20 to 23 years old
// on graduation day.
func birthDate(r *rand.Rand, gradYear int) time.Time {
	grad := graduationDay(gradYear)
	earliest := grad.AddDate(-24, 0, 1)
	latest := grad.AddDate(-20, 0, 0)
	days := int(latest.Sub(earliest).Hours() / 24)
	return earliest.AddDate(0, 0, r.IntN(days+1))
}

// idNumber returns an unused resident ID number for a person born in
// county on birth, with the sequence's parity matching the gender.
func idNumber(r *rand.Rand, county string, birth time.Time, gender string, used map[string]bool) string {
	base := county + birth.Format("20060102")
	for {
		// Odd sequences are men's and even ones women's. 000 is never issued.
		seq := 2*between(r, 1, 499) - 1
		if gender == record.GenderFemale {
			seq++
		}
		first17 := base + strconv.Itoa(seq + 1000)[1:]
		if used[first17] {
			continue
		}
		used[first17] = true
		return first17 + string(checkDigit(first17))
	}
}

// mobilePrefixes are number segments of the three mainland carriers.
var mobilePrefixes = []string{
	"130", "131", "132", "133", "134", "135", "136", "137", "138", "139",
	"150", "151", "152", "153", "155", "156", "157", "158", "159",
	"166", "173", "175", "176", "177", "178",
	"180", "181", "182", "183", "184", "185", "186", "187", "188", "189",
	"191", "198", "199",
}

func phoneNumber(r *rand.Rand, used map[string]bool) string {
	for {
		n := mobilePrefixes[r.IntN(len(mobilePrefixes))] + strconv.Itoa(100000000 + r.IntN(100000000))[1:]
		if !used[n] {
			used[n] = true
			return n
		}
	}
}
