import { useMemo } from 'react';
import { knownTimeZones } from './i18n/format';

/** A select of IANA time zones (the current value is always offered, even if the runtime lacks it). */
export function TimeZoneSelect({ id, value, onChange, disabled }: { id?: string; value: string; onChange: (zone: string) => void; disabled?: boolean }) {
  const zones = useMemo(() => {
    const all = knownTimeZones();
    return all.includes(value) ? all : [value, ...all];
  }, [value]);
  return (
    <select id={id} value={value} onChange={(e) => onChange(e.target.value)} disabled={disabled}>
      {zones.map((zone) => (
        <option key={zone} value={zone}>
          {zone}
        </option>
      ))}
    </select>
  );
}
