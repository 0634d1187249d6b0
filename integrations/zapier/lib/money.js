'use strict';

// ISO 4217 minor-unit exponents that are not 2: Cyan's own table (core/currencies.py);
// core/tests/test_currencies.py checks the two agree.
const EXPONENTS = {
  CLF: 4, UYW: 4,
  BHD: 3, IQD: 3, JOD: 3, KWD: 3, LYD: 3, OMR: 3, TND: 3,
  BIF: 0, CLP: 0, DJF: 0, GNF: 0, ISK: 0, JPY: 0, KMF: 0, KRW: 0, PYG: 0, RWF: 0,
  UGX: 0, UYI: 0, VND: 0, VUV: 0, XAF: 0, XOF: 0, XPF: 0,
};

const exponent = (currency) => {
  const code = String(currency || '').trim().toUpperCase();
  return code in EXPONENTS ? EXPONENTS[code] : 2;
};

// "12.50" / 12.5 / "£1,234.50" → integer minor units of `currency`, exactly (no floating
// point on the digits). An amount finer than the currency's unit is refused, as Cyan does.
const toMinor = (value, currency, field) => {
  if (value === undefined || value === null || value === '') {
    return 0;
  }
  const text = String(value).trim().replace(/[^0-9.\-]/g, '');
  const match = /^(-?)(\d*)(?:\.(\d*))?$/.exec(text);
  if (!match || (match[2] === '' && !match[3])) {
    throw new Error(`${field}: "${value}" is not an amount.`);
  }
  const places = exponent(currency);
  const fraction = (match[3] || '').replace(/0+$/, '');
  if (fraction.length > places) {
    throw new Error(`${field}: "${value}" has more decimals than ${currency} allows.`);
  }
  const digits = `${match[2] || '0'}${fraction.padEnd(places, '0')}`;
  const minor = Number.parseInt(digits, 10);
  if (match[1] === '-' && minor !== 0) {
    throw new Error(`${field}: "${value}" is negative.`);
  }
  return minor;
};

module.exports = { exponent, toMinor };
