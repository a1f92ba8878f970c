// HTTP-date (RFC 9110 section 5.6.7): the preferred IMF-fixdate and the two obsolete forms
// recipients must still accept. Parsed by hand because Date.parse accepts far too much
// ("1" is a date to V8) and differs between engines.

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

// Sun, 06 Nov 1994 08:49:37 GMT
const IMF_FIXDATE = /^[A-Za-z]{3}, (\d{2}) ([A-Za-z]{3}) (\d{4}) (\d{2}):(\d{2}):(\d{2}) GMT$/;
// Sunday, 06-Nov-94 08:49:37 GMT
const RFC850_DATE = /^[A-Za-z]{6,9}, (\d{2})-([A-Za-z]{3})-(\d{2}) (\d{2}):(\d{2}):(\d{2}) GMT$/;
// Sun Nov  6 08:49:37 1994
const ASCTIME_DATE = /^[A-Za-z]{3} ([A-Za-z]{3}) ([ \d]\d) (\d{2}):(\d{2}):(\d{2}) (\d{4})$/;

function utc(year: number, monthName: string, day: number, h: number, m: number, s: number): number | null {
  const month = MONTHS.indexOf(monthName.toLowerCase());
  if (month < 0 || day < 1 || day > 31 || h > 23 || m > 59 || s > 60) {
    return null;
  }
  const ms = Date.UTC(year, month, day, h, m, Math.min(s, 59));
  // Date.UTC rolls "31 Feb" over into March; such a date is malformed, not a different day.
  return new Date(ms).getUTCDate() === day ? ms : null;
}

/** Epoch milliseconds of an HTTP-date, or null when the text is not one. */
export function parseHttpDate(text: string): number | null {
  const value = text.trim();
  let m = IMF_FIXDATE.exec(value);
  if (m) {
    return utc(Number(m[3]), m[2], Number(m[1]), Number(m[4]), Number(m[5]), Number(m[6]));
  }
  m = RFC850_DATE.exec(value);
  if (m) {
    // Two-digit years pivot at 1970: RFC 850 dates predate 2070 in any response we will see.
    const yy = Number(m[3]);
    const year = yy + (yy >= 70 ? 1900 : 2000);
    return utc(year, m[2], Number(m[1]), Number(m[4]), Number(m[5]), Number(m[6]));
  }
  m = ASCTIME_DATE.exec(value);
  if (m) {
    return utc(Number(m[6]), m[1], Number(m[2].trim()), Number(m[3]), Number(m[4]), Number(m[5]));
  }
  return null;
}
