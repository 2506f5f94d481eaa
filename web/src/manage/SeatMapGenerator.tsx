import { addCatalogs } from '../shared/i18n.ts';
import { useState, type FormEvent } from 'react';
import { Alert, Anchor, Button, Card, Group, NativeSelect, NumberInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api, ApiError, unwrap } from '../shared/api.ts';
import { errorMessage, fieldProblems } from '../shared/errors.ts';
import { formatDateTime } from '../shared/format.ts';
import { usePageTitle } from '../shared/page.ts';
import { LoadError, Loading } from '../shared/Status.tsx';
import { useManage } from './context.tsx';

export type Numbering = 'ltr' | 'rtl' | 'odd_even';
export type RowLabels = 'letters' | 'numbers';
export interface Block { name: string; sectionId: number; rows: number | string; seats: number | string; numbering: Numbering; rowLabels: RowLabels }

const SPACING = 30;
const letters = (i: number): string => (i < 26 ? String.fromCharCode(65 + i) : letters(Math.floor(i / 26) - 1) + String.fromCharCode(65 + (i % 26)));

/** The numbers of a row's seats, left to right: 1…n, n…1, or odd from the centre leftwards and even rightwards (…5 3 1 2 4 6…). */
export function seatNumbers(n: number, numbering: Numbering): string[] {
  const ltr = Array.from({ length: n }, (_, i) => i + 1);
  if (numbering === 'ltr') return ltr.map(String);
  if (numbering === 'rtl') return ltr.reverse().map(String);
  const odd = ltr.filter((x) => x % 2 === 1).reverse();
  const even = ltr.filter((x) => x % 2 === 0);
  return [...odd, ...even].map(String);
}

/**
 * A guichet.seatmap/1 document from blocks of rows × seats, side by side behind a stage: one
 * category per section sold; front rows and centre seats rank best.
 */
export function generateMap(blocks: Block[], sectionName: (id: number) => string) {
  let x = 40;
  const rowsMax = Math.max(...blocks.map((b) => Number(b.rows)));
  const areas = blocks.map((block, b) => {
    const perRow = Number(block.seats);
    const area = {
      key: `block-${b + 1}`,
      name: block.name,
      kind: 'seated' as const,
      category: `section-${block.sectionId}`,
      rows: Array.from({ length: Number(block.rows) }, (_, r) => ({
        label: block.rowLabels === 'letters' ? letters(r) : String(r + 1),
        seats: seatNumbers(perRow, block.numbering).map((number, s) => ({
          number,
          x: x + s * SPACING,
          y: 100 + r * SPACING,
          rank: r * 1000 + Math.abs(2 * s + 1 - perRow) + 1,
        })),
      })),
    };
    x += perRow * SPACING + 2 * SPACING;
    return area;
  });
  const width = x;
  const sections = [...new Set(blocks.map((b) => b.sectionId))];
  return {
    format: 'guichet.seatmap/1',
    width,
    height: 100 + rowsMax * SPACING + 40,
    stage: { x: 40, y: 20, width: width - 80, height: 40 },
    categories: sections.map((id) => ({ key: `section-${id}`, name: sectionName(id) })),
    areas,
  };
}

/**
 * The back office's seat-map generator: blocks of rows × seats (numbering left to right, right to
 * left or odd/even; rows lettered or numbered), each sold by one of the event's sections, previewed,
 * then saved as a map and laid out on a date (or every date).
 */
export function SeatMapGenerator() {
  const { t, i18n } = useTranslation('seatmapGenerator');
  const { headers, membership } = useManage();
  const id = Number(useParams().id);
  const query = useQuery({ queryKey: ['manage', membership.organization_id, 'event', id], queryFn: () => unwrap(api.GET('/api/events/{id}', { headers, params: { path: { id } } })) });
  usePageTitle(t('title'));
  const [name, setName] = useState('');
  const [blocks, setBlocks] = useState<Block[]>([]);
  const [dateId, setDateId] = useState<string>('all');
  const [problems, setProblems] = useState<Record<string, string>>({});
  const save = useMutation({
    mutationFn: async ({ document, dates }: { document: ReturnType<typeof generateMap>; dates: number[] }) => {
      const { map } = await unwrap(api.POST('/api/maps', { headers, body: { map: { name: name.trim(), venue_id: query.data?.event.venue_id ?? null, document } } }));
      const sections = Object.fromEntries([...new Set(blocks.map((b) => b.sectionId))].map((s) => [`section-${s}`, s]));
      try {
        for (const date of dates) await unwrap(api.PUT('/api/events/{id}/dates/{date_id}/map', { headers, params: { path: { id, date_id: date } }, body: { map: { map_id: map.id, sections } } }));
      } catch (error) {
        // A map no date could take is not left behind (the dates laid out before the refusal keep it).
        if (dates.length === 1) await api.DELETE('/api/maps/{id}', { headers, params: { path: { id: map.id } } });
        throw error;
      }
      return { map, dates };
    },
  });
  if (query.isPending) return <Loading />;
  if (query.isError) return <LoadError error={query.error} retry={() => query.refetch()} />;
  const event = query.data.event;
  const sectionName = (sid: number) => event.sections.find((s) => s.id === sid)?.name ?? String(sid);
  const shown = blocks.length > 0 ? blocks : [{ name: t('defaultBlock'), sectionId: event.sections[0]?.id ?? 0, rows: 10, seats: 12, numbering: 'ltr' as const, rowLabels: 'letters' as const }];
  const update = (i: number, change: Partial<Block>) => setBlocks(shown.map((b, j) => (j === i ? { ...b, ...change } : b)));
  const total = shown.reduce((sum, b) => sum + (Number(b.rows) || 0) * (Number(b.seats) || 0), 0);
  const dateLabel = (d: { starts_at: string }) => formatDateTime(d.starts_at, event.time_zone, i18n.language, { dateStyle: 'medium', timeStyle: 'short' });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const found: Record<string, string> = {};
    if (!name.trim()) found.name = t('required');
    shown.forEach((b, i) => {
      if (!b.name.trim()) found[`name-${i}`] = t('required');
      for (const field of ['rows', 'seats'] as const) {
        const n = Number(b[field]);
        if (b[field] === '' || !Number.isInteger(n) || n < 1 || n > 200) found[`${field}-${i}`] = t('between', { min: 1, max: 200 });
      }
    });
    setProblems(found);
    if (Object.keys(found).length > 0) return;
    save.mutate({ document: generateMap(shown, sectionName), dates: dateId === 'all' ? event.dates.map((d) => d.id) : [Number(dateId)] });
  };
  const serverProblems = fieldProblems(save.error);

  return (
    <form onSubmit={submit} noValidate>
    <Stack maw={960}>
      <Anchor component={Link} to={`/manage/events/${event.id}`}>{event.title}</Anchor>
      <Title order={1}>{t('title')}</Title>
      <Text>{t('intro')}</Text>
      <TextInput label={t('name')} required value={name} onChange={(e) => setName(e.currentTarget.value)} error={problems.name} />
      {shown.map((b, i) => (
        <Card withBorder key={i} component="fieldset" style={{ margin: 0 }}>
          <Text component="legend" fw={700} px={4}>{t('block', { n: i + 1 })}</Text>
          <Group align="start" wrap="wrap">
            <TextInput label={t('blockName', { n: i + 1 })} required value={b.name} onChange={(e) => update(i, { name: e.currentTarget.value })} error={problems[`name-${i}`]} />
            <NativeSelect label={t('section', { n: i + 1 })} value={String(b.sectionId)} onChange={(e) => update(i, { sectionId: Number(e.currentTarget.value) })} data={event.sections.map((s) => ({ value: String(s.id), label: s.name }))} />
            <NumberInput label={t('rows', { n: i + 1 })} required min={1} max={200} w={130} value={b.rows} onChange={(v) => update(i, { rows: v })} error={problems[`rows-${i}`]} />
            <NumberInput label={t('seats', { n: i + 1 })} required min={1} max={200} w={150} value={b.seats} onChange={(v) => update(i, { seats: v })} error={problems[`seats-${i}`]} />
            <NativeSelect label={t('numbering', { n: i + 1 })} value={b.numbering} onChange={(e) => update(i, { numbering: e.currentTarget.value as Numbering })}
              data={(['ltr', 'rtl', 'odd_even'] as const).map((v) => ({ value: v, label: t(`numberings.${v}`) }))} />
            <NativeSelect label={t('rowLabels', { n: i + 1 })} value={b.rowLabels} onChange={(e) => update(i, { rowLabels: e.currentTarget.value as RowLabels })}
              data={(['letters', 'numbers'] as const).map((v) => ({ value: v, label: t(`rowLabelKinds.${v}`) }))} />
          </Group>
          <Text size="sm" mt="xs">{t('sample', { numbers: seatNumbers(Math.min(Number(b.seats) || 0, 12), b.numbering).join(' '), more: Number(b.seats) > 12 ? ' …' : '' })}</Text>
          {shown.length > 1 && <Button variant="default" mt="xs" w="fit-content" onClick={() => setBlocks(shown.filter((_, j) => j !== i))}>{t('removeBlock', { n: i + 1 })}</Button>}
        </Card>
      ))}
      <Button variant="light" w="fit-content" onClick={() => setBlocks([...shown, { ...shown[shown.length - 1], name: t('blockN', { n: shown.length + 1 }) }])}>{t('addBlock')}</Button>
      <Preview blocks={shown} />
      <Text fw={600} aria-live="polite">{t('total', { count: total })}</Text>
      <NativeSelect label={t('date')} value={dateId} onChange={(e) => setDateId(e.currentTarget.value)}
        data={[{ value: 'all', label: t('allDates') }, ...event.dates.map((d) => ({ value: String(d.id), label: dateLabel(d) }))]} />
      {save.isError && (
        <Alert color="red" role="alert">
          {save.error instanceof ApiError && save.error.code === 'IN_USE' ? t('inUse') : errorMessage(save.error, t)}
          {Object.entries(serverProblems).map(([field, message]) => <Text key={field} size="sm">{`${field}: ${message}`}</Text>)}
        </Alert>
      )}
      {save.isSuccess && (
        <Alert color="green" role="status">
          {t('saved', { name: save.data.map.name, count: save.data.map.seat_count, dates: save.data.dates.map((d) => dateLabel(event.dates.find((x) => x.id === d)!)).join(', ') })}
        </Alert>
      )}
      <Button type="submit" loading={save.isPending} w="fit-content">{t('save')}</Button>
    </Stack>
    </form>
  );
}

/** The blocks drawn as they will stand (an image: the numbers above say the same in words). */
function Preview({ blocks }: { blocks: Block[] }) {
  const { t } = useTranslation('seatmapGenerator');
  const valid = blocks.every((b) => Number(b.rows) >= 1 && Number(b.seats) >= 1 && Number(b.rows) <= 200 && Number(b.seats) <= 200);
  if (!valid) return null;
  const document = generateMap(blocks, String);
  return (
    <svg viewBox={`0 0 ${document.width} ${document.height}`} style={{ width: '100%', maxHeight: 320, border: '1px solid var(--mantine-color-gray-3)', borderRadius: 4 }} role="img" aria-label={t('preview')}>
      <rect {...document.stage} fill="#e9ecef" stroke="#495057" />
      {document.areas.flatMap((area) => area.rows.flatMap((row) => row.seats.map((seat) => <circle key={`${area.key}-${row.label}-${seat.number}`} cx={seat.x} cy={seat.y} r={11} fill="#4263eb" />)))}
    </svg>
  );
}

const en = {
  title: 'Seat map generator', link: 'Seat map generator',
  intro: 'Describe the hall as blocks of rows and seats; each block is sold by one of the event’s sections. The map is saved, then laid out on the date you choose: each seated section then has one place per seat.',
  name: 'Name of the map', block: 'Block {{n}}', blockName: 'Name of block {{n}}', blockN: 'Block {{n}}', defaultBlock: 'Stalls', section: 'Section selling block {{n}}',
  rows: 'Rows in block {{n}}', seats: 'Seats per row in block {{n}}', numbering: 'Seat numbering in block {{n}}', rowLabels: 'Row names in block {{n}}',
  numberings: { ltr: 'Left to right (1, 2, 3…)', rtl: 'Right to left (…3, 2, 1)', odd_even: 'Odd left, even right (…5, 3, 1, 2, 4, 6…)' },
  rowLabelKinds: { letters: 'Letters (A, B, C…)', numbers: 'Numbers (1, 2, 3…)' },
  sample: 'A row reads: {{numbers}}{{more}}', addBlock: 'Add a block', removeBlock: 'Remove block {{n}}', preview: 'Preview of the map',
  total_one: '{{count}} seat in all', total_other: '{{count}} seats in all', date: 'Lay the map out on', allDates: 'Every date of the event',
  save: 'Save the map and lay it out', saved: 'The map “{{name}}” ({{count}} seats) is laid out on: {{dates}}.',
  required: 'Required', between: 'A whole number from {{min}} to {{max}}',
  inUse: 'Places of this date are already held or sold: its seating can no longer change. Lay the map out on another date.',
};
type Catalog<T> = { [K in keyof T]: T[K] extends string ? string : Catalog<T[K]> };
const fr: Catalog<typeof en> = {
  title: 'Générateur de plan de salle', link: 'Générateur de plan de salle',
  intro: 'Décrivez la salle en blocs de rangs et de places ; chaque bloc est vendu par une des zones de l’événement. Le plan est enregistré, puis appliqué à la date choisie : chaque zone placée a alors une place par fauteuil.',
  name: 'Nom du plan', block: 'Bloc {{n}}', blockName: 'Nom du bloc {{n}}', blockN: 'Bloc {{n}}', defaultBlock: 'Orchestre', section: 'Zone qui vend le bloc {{n}}',
  rows: 'Rangs du bloc {{n}}', seats: 'Places par rang du bloc {{n}}', numbering: 'Numérotation des places du bloc {{n}}', rowLabels: 'Noms des rangs du bloc {{n}}',
  numberings: { ltr: 'De gauche à droite (1, 2, 3…)', rtl: 'De droite à gauche (…3, 2, 1)', odd_even: 'Impairs à gauche, pairs à droite (…5, 3, 1, 2, 4, 6…)' },
  rowLabelKinds: { letters: 'Lettres (A, B, C…)', numbers: 'Nombres (1, 2, 3…)' },
  sample: 'Un rang se lit : {{numbers}}{{more}}', addBlock: 'Ajouter un bloc', removeBlock: 'Retirer le bloc {{n}}', preview: 'Aperçu du plan',
  total_one: '{{count}} place en tout', total_other: '{{count}} places en tout', date: 'Appliquer le plan à', allDates: 'Toutes les dates de l’événement',
  save: 'Enregistrer et appliquer le plan', saved: 'Le plan « {{name}} » ({{count}} places) est appliqué à : {{dates}}.',
  required: 'Obligatoire', between: 'Un nombre entier de {{min}} à {{max}}',
  inUse: 'Des places de cette date sont déjà réservées ou vendues : son placement ne peut plus changer. Appliquez le plan à une autre date.',
};
const de: Catalog<typeof en> = {
  title: 'Saalplan-Generator', link: 'Saalplan-Generator',
  intro: 'Beschreiben Sie den Saal als Blöcke aus Reihen und Plätzen; jeder Block wird über einen Bereich der Veranstaltung verkauft. Der Plan wird gespeichert und dann auf den gewählten Termin angewendet: Jeder Sitzplatzbereich hat dann einen Platz pro Sitz.',
  name: 'Name des Plans', block: 'Block {{n}}', blockName: 'Name von Block {{n}}', blockN: 'Block {{n}}', defaultBlock: 'Parkett', section: 'Bereich, der Block {{n}} verkauft',
  rows: 'Reihen in Block {{n}}', seats: 'Plätze pro Reihe in Block {{n}}', numbering: 'Platznummerierung in Block {{n}}', rowLabels: 'Reihennamen in Block {{n}}',
  numberings: { ltr: 'Von links nach rechts (1, 2, 3…)', rtl: 'Von rechts nach links (…3, 2, 1)', odd_even: 'Ungerade links, gerade rechts (…5, 3, 1, 2, 4, 6…)' },
  rowLabelKinds: { letters: 'Buchstaben (A, B, C…)', numbers: 'Zahlen (1, 2, 3…)' },
  sample: 'Eine Reihe lautet: {{numbers}}{{more}}', addBlock: 'Block hinzufügen', removeBlock: 'Block {{n}} entfernen', preview: 'Vorschau des Plans',
  total_one: '{{count}} Platz insgesamt', total_other: '{{count}} Plätze insgesamt', date: 'Plan anwenden auf', allDates: 'Alle Termine der Veranstaltung',
  save: 'Plan speichern und anwenden', saved: 'Der Plan „{{name}}“ ({{count}} Plätze) gilt nun für: {{dates}}.',
  required: 'Pflichtfeld', between: 'Eine ganze Zahl von {{min}} bis {{max}}',
  inUse: 'Für diesen Termin sind bereits Plätze reserviert oder verkauft: Seine Bestuhlung kann nicht mehr geändert werden. Wenden Sie den Plan auf einen anderen Termin an.',
};
addCatalogs('seatmapGenerator', { en, fr, de });
