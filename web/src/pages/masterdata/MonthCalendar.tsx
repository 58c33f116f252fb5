import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { useI18n } from '../../i18n';
import { addDays, addMonths, covers, dayOf, firstDay, isoWeek, lastDay, monthOfDay, monthWeeks, startOf, type Day, type Month } from './calendar';
import { reasonLabel, type Period } from './resources';

/**
 * A month of a resource's availability as a grid (a table: weekdays as column headers, ISO weeks as
 * row headers). One day cell is in the tab order at a time; the arrow keys move by day and week,
 * Home and End to the week's ends, Page Up and Page Down by month; Enter or Space picks the day
 * whose periods are listed below the grid. Unavailable days say so in words, not only in colour.
 */
export function MonthCalendar({
  month,
  periods,
  onMonthChange,
  selected,
  onSelect,
}: {
  month: Month;
  periods: Period[];
  onMonthChange(month: Month): void;
  selected: Day | undefined;
  onSelect(day: Day): void;
}) {
  const { t, language } = useI18n();
  const [focusDay, setFocusDay] = useState<Day>(() => (selected && monthOfDay(selected) === month ? selected : firstDay(month)));
  const [keyboard, setKeyboard] = useState(false);
  const cells = useRef(new Map<Day, HTMLTableCellElement>());
  const active = monthOfDay(focusDay) === month ? focusDay : firstDay(month);
  const today = dayOf(new Date());
  const weeks = useMemo(() => monthWeeks(month), [month]);

  const weekdays = useMemo(() => {
    const short = new Intl.DateTimeFormat(language, { weekday: 'short' });
    const long = new Intl.DateTimeFormat(language, { weekday: 'long' });
    // 2024-01-01 was a Monday.
    return Array.from({ length: 7 }, (_, i) => {
      const date = new Date(2024, 0, 1 + i);
      return { short: short.format(date), long: long.format(date) };
    });
  }, [language]);
  const monthTitle = new Intl.DateTimeFormat(language, { month: 'long', year: 'numeric' }).format(startOf(firstDay(month)));
  const fullDate = new Intl.DateTimeFormat(language, { dateStyle: 'full' });

  // After a key moved the focus (possibly into another month), the new cell takes it.
  useEffect(() => {
    if (keyboard) cells.current.get(active)?.focus();
  }, [active, keyboard, month]);

  const move = (to: Day) => {
    setKeyboard(true);
    setFocusDay(to);
    if (monthOfDay(to) !== month) onMonthChange(monthOfDay(to));
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTableCellElement>, day: Day) => {
    const weekday = (startOf(day).getDay() + 6) % 7;
    const moves: Record<string, () => Day> = {
      ArrowLeft: () => addDays(day, -1),
      ArrowRight: () => addDays(day, 1),
      ArrowUp: () => addDays(day, -7),
      ArrowDown: () => addDays(day, 7),
      Home: () => addDays(day, -weekday),
      End: () => addDays(day, 6 - weekday),
      PageUp: () => clampInto(addMonths(month, -1), day),
      PageDown: () => clampInto(addMonths(month, 1), day),
    };
    const next = moves[event.key];
    if (next) {
      event.preventDefault();
      move(next());
    } else if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      onSelect(day);
    }
  };

  return (
    <div className="calendar">
      <div className="calendar-head">
        <button
          type="button"
          onClick={() => {
            setKeyboard(false);
            onMonthChange(addMonths(month, -1));
          }}
        >
          {t('calendar.previousMonth')}
        </button>
        <h3 id="calendar-month" aria-live="polite">
          {monthTitle}
        </h3>
        <button
          type="button"
          onClick={() => {
            setKeyboard(false);
            onMonthChange(addMonths(month, 1));
          }}
        >
          {t('calendar.nextMonth')}
        </button>
      </div>
      <p id="calendar-help" className="muted">
        {t('calendar.help')}
      </p>
      <table role="grid" aria-labelledby="calendar-month" aria-describedby="calendar-help" className="month-grid">
        <thead>
          <tr>
            <th scope="col">
              <span className="visually-hidden">{t('calendar.week')}</span>
            </th>
            {weekdays.map((weekday) => (
              <th key={weekday.long} scope="col" abbr={weekday.long}>
                {weekday.short}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {weeks.map((week) => {
            const anyDay = week.find((day): day is Day => day !== null) ?? firstDay(month);
            return (
              <tr key={anyDay}>
                <th scope="row" className="week-number">
                  {t('calendar.weekN', { n: isoWeek(anyDay) })}
                </th>
                {week.map((day, index) => {
                  if (!day) return <td key={`empty-${index}`} className="day-outside" />;
                  const covering = periods.filter((period) => covers(period, day));
                  const classes = ['day', covering.length ? 'day-unavailable' : 'day-available', day === selected ? 'day-selected' : ''].filter(Boolean);
                  return (
                    <td
                      key={day}
                      ref={(element) => {
                        if (element) cells.current.set(day, element);
                        else cells.current.delete(day);
                      }}
                      role="gridcell"
                      tabIndex={day === active ? 0 : -1}
                      aria-selected={day === selected}
                      aria-current={day === today ? 'date' : undefined}
                      className={classes.join(' ')}
                      onKeyDown={(event) => onKeyDown(event, day)}
                      onClick={() => {
                        setFocusDay(day);
                        onSelect(day);
                      }}
                      onFocus={() => setFocusDay(day)}
                    >
                      <span className="day-number" aria-hidden="true">
                        {startOf(day).getDate()}
                      </span>
                      <span className="visually-hidden">{fullDate.format(startOf(day))}</span>
                      {covering.length ? (
                        <ul className="day-periods">
                          {covering.map((period) => (
                            <li key={period.id}>{reasonLabel(t, period.reason)}</li>
                          ))}
                        </ul>
                      ) : (
                        <span className="visually-hidden">{t('calendar.available')}</span>
                      )}
                    </td>
                  );
                })}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

/** The same day of the month in another month, or its last day when that month is shorter. */
function clampInto(month: Month, day: Day): Day {
  const wanted = `${month}-${day.slice(8, 10)}`;
  return monthOfDay(wanted) === month && startOf(wanted).getMonth() + 1 === Number(month.slice(5, 7)) ? wanted : lastDay(month);
}
