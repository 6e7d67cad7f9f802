import { describe, expect, it } from 'vitest';
import { nameSkeleton, namesClash, normaliseName } from '../../shared/names.js';
import { DisplayName } from '../../shared/schemas/room.js';

describe('normaliseName', () => {
  it.each([
    ['Ｈｏｓｔ', 'Host'],
    ['Hoˢt', 'Host'],
    ['𝐇𝐨𝐬𝐭', 'Host'],
    ['ⒽⓄⓈⓉ', 'HOST'],
    ['Host\u200B', 'Host'],
    ['\uFEFFHo\u2060st\u00AD', 'Host'],
    ['Host\u200E', 'Host'],
    ['Bob\u200D', 'Bob'],
    ['  Ana \u00A0\u3000 Maria  ', 'Ana Maria'],
    ['\u3164Ana', 'Ana'],
  ])('%j is shown as %j', (name, shown) => {
    expect(normaliseName(name)).toBe(shown);
  });

  it('keeps joiners where they join (emoji sequences, Persian, Indic scripts)', () => {
    expect(normaliseName('👩\u200D💻 Ana')).toBe('👩\u200D💻 Ana');
    expect(normaliseName('می\u200Cخواهم')).toBe('می\u200Cخواهم');
  });
});

describe('namesClash: names a reader could take for "Host"', () => {
  it.each([
    ['Host'],
    ['host'],
    ['HOST'],
    ['Ηost'], // Greek capital Eta
    ['Hоst'], // Cyrillic о
    ['Ноѕт'], // Cyrillic Н, о, ѕ, т
    ['Ꮋost'], // Cherokee
    ['Hⲟst'], // Coptic
    ['Ｈｏｓｔ'],
    ['Hoˢt'],
    ['Host\u200B'],
    ['H\u200Bost'],
    ['Hóst'],
    ['Ho\u0301st'],
    ['H\u0337ost'],
    ['H0st'],
  ])('%j clashes', (name) => {
    expect(namesClash(name, 'Host')).toBe(true);
    expect(namesClash('Host', name)).toBe(true);
  });

  it.each([['Hosts'], ['Ghost'], ['H o s t'], ['Hast'], ['Иван']])('%j does not', (name) => {
    expect(namesClash(name, 'Host')).toBe(false);
  });
});

describe('nameSkeleton', () => {
  it('reads I, l, 1 and | as one stroke, rn as m, vv as w', () => {
    expect(nameSkeleton('AIice')).toBe(nameSkeleton('Alice'));
    expect(nameSkeleton('A1ice')).toBe(nameSkeleton('Alice'));
    expect(nameSkeleton('Arnold')).toBe(nameSkeleton('Amold'));
    expect(nameSkeleton('Edvvard')).toBe(nameSkeleton('Edward'));
  });

  it('keeps honest names in other scripts apart', () => {
    const names = ['Иван', 'Ирина', 'Дарья', 'Зоя', 'Борис', 'Δημήτρης', 'Νίκος', 'محمد', '王小明', 'José', 'Jon'];
    expect(new Set(names.map(nameSkeleton)).size).toBe(names.length);
  });

  it('a name differing only in case still clashes where the skeleton alone would not (Greek Ν and ν)', () => {
    expect(namesClash('ΝΙΚΟΣ', 'νικος')).toBe(true);
  });
});

describe('DisplayName', () => {
  it('is what others see: normalised', () => {
    expect(DisplayName.parse(' Ｈｏｓｔ\u200B ')).toBe('Host');
  });

  it('refuses a name with nothing visible in it', () => {
    const parsed = DisplayName.safeParse('\u200B\u3164\u200B');
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0].message).toBe('Choose a name with something visible in it.');
  });

  it('refuses a name longer than allowed once normalised', () => {
    expect(DisplayName.safeParse('\uFDFA'.repeat(3)).success).toBe(false);
  });
});
