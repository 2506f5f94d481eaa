/** Wall-clock times in an IANA time zone, as printed at the venue ("2027-03-12T20:00:00", no offset). */

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** The local date and time of an instant in a time zone, `YYYY-MM-DDTHH:MM:SS`. */
export function localDateTime(instant: string | Date, timeZone: string): string {
  const parts: Record<string, string> = {};
  for (const p of formatter(timeZone).formatToParts(new Date(instant))) parts[p.type] = p.value;
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}:${parts.second}`;
}

// The last day computed per zone, for the minute it was computed in: every sale is tallied on its
// day, and formatting costs more than the rest of the tally. Zone offsets are whole minutes, so
// a local day never changes inside a UTC minute.
const lastDay = new Map<string, { minute: number; day: string }>();

/** The calendar day of an instant in a time zone, `YYYY-MM-DD`. */
export function dayIn(timeZone: string, instant: string | Date): string {
  const minute = Math.floor(new Date(instant).getTime() / 60_000);
  const last = lastDay.get(timeZone);
  if (last?.minute === minute) return last.day;
  const day = localDateTime(new Date(minute * 60_000), timeZone).slice(0, 10);
  lastDay.set(timeZone, { minute, day });
  return day;
}
