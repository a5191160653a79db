/*
 * gotime.c: the part of Go's time package that templates reach through a
 * *time.Time (list -m's Time): parsing the RFC 3339 text of a module's
 * .info file, Time.Format with Go's reference-time layouts, Time.String
 * and Time.Unix.  A time parsed from "Z" is in UTC; one with a numeric
 * offset is in a fixed zone with no name, as time.Parse makes it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runtime/runtime.h"

static int digits(const char *s, int n, int *out)
{
	int v = 0;

	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

/* days_from_civil: days since 1970-01-01 of a proleptic Gregorian date. */
static long long days_from_civil(long long y, int m, int d)
{
	y -= m <= 2;
	long long era = (y >= 0 ? y : y - 399) / 400;
	long long yoe = y - era * 400;
	long long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	long long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

int gotime_parse_rfc3339(const char *s, struct gotime *t)
{
	size_t n = strlen(s), i = 19;

	memset(t, 0, sizeof *t);
	if (n < 20 || digits(s, 4, &t->year) < 0 || s[4] != '-' || digits(s + 5, 2, &t->month) < 0 || s[7] != '-' ||
	    digits(s + 8, 2, &t->day) < 0 || (s[10] != 'T' && s[10] != 't') || digits(s + 11, 2, &t->hour) < 0 ||
	    s[13] != ':' || digits(s + 14, 2, &t->min) < 0 || s[16] != ':' || digits(s + 17, 2, &t->sec) < 0)
		return -1;
	if (t->month < 1 || t->month > 12 || t->day < 1 || t->day > 31 || t->hour > 23 || t->min > 59 || t->sec > 59)
		return -1;
	if (s[i] == '.') {
		int nd = 0;
		i++;
		while (s[i] >= '0' && s[i] <= '9') {
			if (nd < 9) {
				t->nsec = t->nsec * 10 + (s[i] - '0');
				nd++;
			}
			i++;
		}
		if (nd == 0)
			return -1;
		for (; nd < 9; nd++)
			t->nsec *= 10;
	}
	if (s[i] == 'Z' || s[i] == 'z') {
		t->utc = true;
		i++;
	} else if (s[i] == '+' || s[i] == '-') {
		int hh, mm;
		if (digits(s + i + 1, 2, &hh) < 0 || s[i + 3] != ':' || digits(s + i + 4, 2, &mm) < 0)
			return -1;
		t->offset = (hh * 60 + mm) * 60 * (s[i] == '-' ? -1 : 1);
		i += 6;
	} else {
		return -1;
	}
	return s[i] == 0 ? 0 : -1;
}

long long gotime_unix(const struct gotime *t)
{
	return days_from_civil(t->year, t->month, t->day) * 86400 + t->hour * 3600 + t->min * 60 + t->sec - t->offset;
}

int gotime_yday(const struct gotime *t)
{
	return (int)(days_from_civil(t->year, t->month, t->day) - days_from_civil(t->year, 1, 1)) + 1;
}

static const char *const long_months[] = {"January", "February", "March",     "April",   "May",      "June",
					  "July",    "August",   "September", "October", "November", "December"};
static const char *const long_days[] = {"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"};

static void pad_int(struct buf *b, long long v, int width, char padc)
{
	char tmp[32];
	int n = snprintf(tmp, sizeof tmp, "%lld", v < 0 ? -v : v);

	if (v < 0)
		buf_addch(b, '-');
	for (int i = n; i < width; i++)
		buf_addch(b, padc);
	buf_adds(b, tmp);
}

/* zone writes the numeric zone of layout elements -0700, -07:00, -07,
 * -070000, -07:00:00 (z: a Z form, which writes "Z" for UTC). */
static void zone(struct buf *b, const struct gotime *t, bool z, bool colon, bool hours_only, bool secs)
{
	int off = t->offset, zsec;

	if (z && off == 0) {
		buf_addch(b, 'Z');
		return;
	}
	buf_addch(b, off < 0 ? '-' : '+');
	if (off < 0)
		off = -off;
	zsec = off % 60;
	pad_int(b, off / 3600, 2, '0');
	if (hours_only)
		return;
	if (colon)
		buf_addch(b, ':');
	pad_int(b, off / 60 % 60, 2, '0');
	if (secs) {
		if (colon)
			buf_addch(b, ':');
		pad_int(b, zsec, 2, '0');
	}
}

/* fraction writes the fractional second of .000/,000 (fixed) or .999
 * (trailing zeros and an empty fraction dropped) with n digits. */
static void fraction(struct buf *b, int nsec, int n, bool trim, char sep)
{
	char d[10];

	snprintf(d, sizeof d, "%09d", nsec);
	d[n] = 0;
	if (trim) {
		while (n > 0 && d[n - 1] == '0')
			d[--n] = 0;
		if (n == 0)
			return;
	}
	buf_addch(b, sep);
	buf_adds(b, d);
}

static bool has(const char *s, const char *p)
{
	return strncmp(s, p, strlen(p)) == 0;
}

void gotime_format(struct buf *b, const struct gotime *t0, const char *layout)
{
	struct gotime t = *t0;
	long long days = days_from_civil(t.year, t.month, t.day);
	int wday = (int)(((days % 7) + 11) % 7); /* 1970-01-01 was a Thursday */
	int yday = gotime_yday(&t);
	const char *p = layout;

	while (*p) {
		/* Jan and Mon not followed by a lower-case letter ("Janet" is text) */
		if (has(p, "January")) { buf_adds(b, long_months[t.month - 1]); p += 7; continue; }
		if (has(p, "Jan") && !(p[3] >= 'a' && p[3] <= 'z')) { buf_add(b, long_months[t.month - 1], 3); p += 3; continue; }
		if (has(p, "Monday")) { buf_adds(b, long_days[wday]); p += 6; continue; }
		if (has(p, "Mon") && !(p[3] >= 'a' && p[3] <= 'z')) { buf_add(b, long_days[wday], 3); p += 3; continue; }
		if (has(p, "MST")) {
			/* a zone with no name prints as -0700 */
			if (t.utc)
				buf_adds(b, "UTC");
			else
				zone(b, &t, false, false, false, false);
			p += 3;
			continue;
		}
		if (has(p, "01")) { pad_int(b, t.month, 2, '0'); p += 2; continue; }
		if (has(p, "02")) { pad_int(b, t.day, 2, '0'); p += 2; continue; }
		if (has(p, "03")) { pad_int(b, t.hour % 12 == 0 ? 12 : t.hour % 12, 2, '0'); p += 2; continue; }
		if (has(p, "04")) { pad_int(b, t.min, 2, '0'); p += 2; continue; }
		if (has(p, "05")) { pad_int(b, t.sec, 2, '0'); p += 2; continue; }
		if (has(p, "06")) { pad_int(b, t.year % 100, 2, '0'); p += 2; continue; }
		if (has(p, "002")) { pad_int(b, yday, 3, '0'); p += 3; continue; }
		if (has(p, "__2")) { pad_int(b, yday, 3, ' '); p += 3; continue; }
		if (has(p, "_2")) {
			if (has(p, "_2006")) { buf_addch(b, '_'); pad_int(b, t.year, 4, '0'); p += 5; continue; }
			pad_int(b, t.day, 2, ' '); p += 2; continue;
		}
		if (has(p, "2006")) { pad_int(b, t.year, 4, '0'); p += 4; continue; }
		if (has(p, "15")) { pad_int(b, t.hour, 2, '0'); p += 2; continue; }
		if (has(p, "PM")) { buf_adds(b, t.hour >= 12 ? "PM" : "AM"); p += 2; continue; }
		if (has(p, "pm")) { buf_adds(b, t.hour >= 12 ? "pm" : "am"); p += 2; continue; }
		if (has(p, "Z07:00:00")) { zone(b, &t, true, true, false, true); p += 9; continue; }
		if (has(p, "-07:00:00")) { zone(b, &t, false, true, false, true); p += 9; continue; }
		if (has(p, "Z070000")) { zone(b, &t, true, false, false, true); p += 7; continue; }
		if (has(p, "-070000")) { zone(b, &t, false, false, false, true); p += 7; continue; }
		if (has(p, "Z07:00")) { zone(b, &t, true, true, false, false); p += 6; continue; }
		if (has(p, "-07:00")) { zone(b, &t, false, true, false, false); p += 6; continue; }
		if (has(p, "Z0700")) { zone(b, &t, true, false, false, false); p += 5; continue; }
		if (has(p, "-0700")) { zone(b, &t, false, false, false, false); p += 5; continue; }
		if (has(p, "Z07")) { zone(b, &t, true, false, true, false); p += 3; continue; }
		if (has(p, "-07")) { zone(b, &t, false, false, true, false); p += 3; continue; }
		if ((p[0] == '.' || p[0] == ',') && (p[1] == '0' || p[1] == '9')) {
			/* a fractional second only right after a seconds element
			 * or at the end of digits: Go takes any run of 0s or 9s
			 * after . or , when no digit follows it */
			int n = 0;
			char c = p[1];
			while (p[1 + n] == c)
				n++;
			if (!(p[1 + n] >= '0' && p[1 + n] <= '9') && n <= 9) {
				fraction(b, t.nsec, n, c == '9', p[0]);
				p += 1 + n;
				continue;
			}
		}
		if (p[0] == '1') { pad_int(b, t.month, 0, '0'); p++; continue; }
		if (p[0] == '2') { pad_int(b, t.day, 0, '0'); p++; continue; }
		if (p[0] == '3') { pad_int(b, t.hour % 12 == 0 ? 12 : t.hour % 12, 0, '0'); p++; continue; }
		if (p[0] == '4') { pad_int(b, t.min, 0, '0'); p++; continue; }
		if (p[0] == '5') { pad_int(b, t.sec, 0, '0'); p++; continue; }
		buf_addch(b, *p++);
	}
}

void gotime_string(struct buf *b, const struct gotime *t)
{
	gotime_format(b, t, "2006-01-02 15:04:05.999999999 -0700 MST");
}
