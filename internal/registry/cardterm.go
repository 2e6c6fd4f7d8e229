package registry

import (
	"fmt"
	"time"

	"github.com/fprlink/fprlink/internal/calendar"
	"github.com/fprlink/fprlink/internal/docnum"
	"github.com/fprlink/fprlink/internal/i18n"
)

// first2023Issue is the day the 2023 card was first issued: the National
// Immigration Administration announced on 15 September 2023 that it would
// issue the new card from 1 December 2023. A 2023 number with an earlier
// issue date is mistyped.
func first2023Issue() calendar.Date { return calendar.Date{Year: 2023, Month: 12, Day: 1} }

// checkCardTerm holds a card's dates to the published rule. Article 21 of
// the Measures for the Administration of Examination and Approval of
// Foreigners' Permanent Residence in China (Ministry of Public Security
// and Ministry of Foreign Affairs Order No. 74, 2004) makes the card valid
// for five or ten years: five for a holder approved under 18, ten for a
// holder of 18 or over. The registry does not know the approval date, only
// the issue date, so a holder under 18 on the issue date must have a
// five-year card, and a holder of 18 or over a ten-year one, or a
// five-year one (approved a little before turning 18). A card expires on
// the anniversary of its issue or the day before; both are printed.
func checkCardTerm(version int, birth, issue, expiry calendar.Date, f *fieldErrors) {
	if issue.Before(birth) {
		f.add("issue_date", "fpr_issue_before_birth", i18n.T(
			"The card's issue date is before the holder's birth date.", "证件签发日期早于持证人出生日期。"))
		return
	}
	if version == docnum.FPR2023 && issue.Before(first2023Issue()) {
		f.add("issue_date", "fpr_2023_issued_early", i18n.T(
			"2023 cards have been issued since 1 December 2023; this issue date is earlier.",
			"2023 版永久居留身份证自 2023 年 12 月 1 日起签发，该签发日期早于此日。"))
		return
	}
	age := ageOn(birth, issue)
	if runsYears(issue, expiry, 5) || (age >= 18 && runsYears(issue, expiry, 10)) {
		return
	}
	years := 10
	if age < 18 {
		years = 5
	}
	f.add("expiry_date", "fpr_card_term", i18n.T(
		fmt.Sprintf("An FPR card is valid for 5 years when issued to a holder under 18 and for 10 years to a holder of 18 or over "+
			"(Measures for the Administration of Examination and Approval of Foreigners' Permanent Residence in China, Article 21); "+
			"the holder was %d on the issue date, so the card expires %d years after it, on %s or the day before.",
			age, years, anniversary(issue, years)),
		fmt.Sprintf("外国人永久居留身份证有效期：未满十八周岁的为五年，十八周岁以上的为十年（《外国人在中国永久居留审批管理办法》第二十一条）。"+
			"持证人签发时为 %d 周岁，有效期应为 %d 年，截止于 %s 或其前一日。", age, years, anniversary(issue, years))))
}

// ageOn is the holder's age in completed years on day d.
func ageOn(birth, d calendar.Date) int {
	age := d.Year - birth.Year
	if d.Month < birth.Month || (d.Month == birth.Month && d.Day < birth.Day) {
		age--
	}
	return age
}

// anniversary is the day n years after d; 29 February moves to 1 March.
func anniversary(d calendar.Date, n int) calendar.Date {
	return calendar.DateOf(d.Time(time.UTC).AddDate(n, 0, 0))
}

// runsYears reports whether a card issued on issue and expiring on expiry
// runs n years.
func runsYears(issue, expiry calendar.Date, n int) bool {
	end := anniversary(issue, n)
	return expiry == end || expiry == end.AddDays(-1)
}
