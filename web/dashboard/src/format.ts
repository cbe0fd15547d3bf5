// Numbers, money and dates as people read them (en-GB style dates, ISO in data attributes).
export interface Money {
  amount: string;
  currency: string;
  minor?: number;
}

export function int(n: number): string {
  return n.toLocaleString('en-US');
}

// One decimal, as the API rounds NPS figures.
export function oneDecimal(n: number): string {
  return n.toFixed(1);
}

export function percent(part: number, whole: number): string {
  return whole > 0 ? `${((100 * part) / whole).toFixed(1)}%` : '–';
}

export function money(m: Money | null | undefined): string {
  if (!m) return '–';
  return `${m.amount} ${m.currency}`;
}

export function minorToAmount(minor: number, currency: string): string {
  const exp = ['JPY', 'KRW', 'CLP', 'ISK', 'VND'].includes(currency) ? 0 : 2;
  return `${(minor / 10 ** exp).toFixed(exp)} ${currency}`;
}

export function date(iso: string | null | undefined): string {
  if (!iso) return '–';
  return iso.slice(0, 10);
}

export function dateTime(iso: string | null | undefined): string {
  if (!iso) return '–';
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

// YYYY-MM-DD of a UTC day `daysAgo` days before today.
export function day(daysAgo = 0): string {
  const d = new Date(Date.now() - daysAgo * 86_400_000);
  return d.toISOString().slice(0, 10);
}
