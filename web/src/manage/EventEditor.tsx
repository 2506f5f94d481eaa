import { useState, type ReactNode } from 'react';
import { Alert, Badge, Button, Card, Checkbox, Group, NativeSelect, NumberInput, Stack, Table, Text, TextInput, Textarea, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { paths } from '../shared/api-types.ts';
import { api, unwrap } from '../shared/api.ts';
import { formatDateTime, formatMoney, minorDigits } from '../shared/format.ts';
import { useManage } from './context.tsx';
import { Failure, useFieldError } from './kit.tsx';

/**
 * Editing an existing event, part by part, each through its own native route: the event's details
 * (venue, names on tickets, sale window…), its dates, sections, capacities per date and tariffs.
 * Every item is edited in place and saved on its own; a refusal is explained beside it and what was
 * typed stays. Deleting asks first; the server refuses to delete what has sold (IN_USE), said in
 * the reader's language with what to do instead.
 */
export type ManagedEvent = paths['/api/events/{id}']['get']['responses'][200]['content']['application/json']['event'];
type EventDate = ManagedEvent['dates'][number];
type Section = ManagedEvent['sections'][number];
type Tariff = ManagedEvent['tariffs'][number];

/** The wall-clock time of an instant in a time zone, as a datetime-local input holds it (`YYYY-MM-DDTHH:MM`). */
export function toLocalInput(iso: string | null | undefined, timeZone: string): string {
  if (!iso) return '';
  const parts: Record<string, string> = {};
  for (const p of new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' }).formatToParts(new Date(iso))) parts[p.type] = p.value;
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}`;
}

/** The instant a wall-clock time (a datetime-local input's value) names in a time zone, as ISO 8601. */
export function fromLocalInput(local: string, timeZone: string): string {
  const asUtc = Date.parse(`${local.length === 16 ? `${local}:00` : local}Z`);
  const offsetAt = (instant: number) => Date.parse(`${toLocalInput(new Date(instant).toISOString(), timeZone)}:00Z`) - Math.floor(instant / 60_000) * 60_000;
  // Twice: the offset at the first guess may differ from the offset at the answer (a change of summer time between them).
  let guess = asUtc - offsetAt(asUtc);
  guess = asUtc - offsetAt(guess);
  return new Date(guess).toISOString();
}

const optionalInstant = (local: string, timeZone: string) => (local ? fromLocalInput(local, timeZone) : null);
const optionalCount = (value: number | string) => (value === '' || value === undefined ? null : Number(value));

/** The queries and the refresh every editor shares. */
function useEventParts() {
  const { headers, membership } = useManage();
  const queryClient = useQueryClient();
  const venues = useQuery({
    queryKey: ['manage', membership.organization_id, 'venues'],
    queryFn: async () => (await unwrap(api.GET('/api/venues', { headers, params: { query: { per_page: 100 } } }))).venues,
  });
  const channels = useQuery({
    queryKey: ['manage', membership.organization_id, 'interfaces'],
    queryFn: async () => (await unwrap(api.GET('/api/interfaces', { headers, params: { query: { per_page: 100 } } }))).interfaces,
  });
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['manage', membership.organization_id] });
  return { headers, venues: venues.data ?? [], channels: channels.data ?? [], refresh };
}

/** One item of a list: its summary with Edit and Delete, or its form while edited; a refusal stays beside it. */
function Item({ name, summary, form, editing, setEditing, remove, removing, error, inUse, readOnly }: {
  name: string; summary: ReactNode; form: ReactNode; editing: boolean; setEditing(on: boolean): void;
  remove(): void; removing: boolean; error: unknown; inUse: string; readOnly: boolean;
}) {
  const { t } = useTranslation('manage');
  return (
    <Card withBorder component="li" padding="sm" aria-label={name}>
      <Stack gap="xs">
        <Failure error={error} explain={{ IN_USE: inUse }} />
        {editing ? form : (
          <Group justify="space-between" wrap="wrap" gap="xs">
            <div>{summary}</div>
            {!readOnly && (
              <Group gap="xs">
                <Button variant="default" size="xs" aria-label={t('events.edit.editOf', { what: name })} onClick={() => setEditing(true)}>{t('events.edit.edit')}</Button>
                <Button variant="outline" color="red.9" size="xs" aria-label={t('events.edit.deleteOf', { what: name })} loading={removing}
                  onClick={() => { if (window.confirm(t('events.edit.confirmDelete', { what: name }))) remove(); }}>
                  {t('events.edit.delete')}
                </Button>
              </Group>
            )}
          </Group>
        )}
      </Stack>
    </Card>
  );
}

/** A form's buttons: save, and cancel when it edits an item (a new item's form has none). */
function FormButtons({ saving, label, onCancel }: { saving: boolean; label: string; onCancel?: () => void }) {
  const { t } = useTranslation('manage');
  return (
    <Group gap="xs">
      <Button type="submit" size="sm" loading={saving}>{label}</Button>
      {onCancel && <Button variant="default" size="sm" onClick={onCancel}>{t('events.edit.cancel')}</Button>}
    </Group>
  );
}

const submit = (run: () => void) => (e: React.FormEvent) => { e.preventDefault(); run(); };

/** The event's own fields: title, description, image, venue, names on tickets, public, sale window, tags. */
export function EventDetailsForm({ event, readOnly }: { event: ManagedEvent; readOnly: boolean }) {
  const { t } = useTranslation('manage');
  const { headers, venues, refresh } = useEventParts();
  const zone = event.time_zone;
  const [title, setTitle] = useState(event.title);
  const [description, setDescription] = useState(event.description ?? '');
  const [imageUrl, setImageUrl] = useState(event.image_urls[0] ?? '');
  const [venueId, setVenueId] = useState(event.venue_id === null ? '' : String(event.venue_id));
  const [holderNames, setHolderNames] = useState<ManagedEvent['holder_names']>(event.holder_names);
  const [isPublic, setPublic] = useState(event.public);
  const [saleStartsAt, setSaleStartsAt] = useState(toLocalInput(event.sale_starts_at, zone));
  const [saleEndsAt, setSaleEndsAt] = useState(toLocalInput(event.sale_ends_at, zone));
  const [tags, setTags] = useState(event.tags.join(', '));
  const save = useMutation({
    mutationFn: () => unwrap(api.PATCH('/api/events/{id}', {
      headers,
      params: { path: { id: event.id } },
      body: {
        event: {
          title,
          description: description || null,
          image_urls: imageUrl ? [imageUrl, ...event.image_urls.slice(1)] : event.image_urls.slice(1),
          venue_id: venueId ? Number(venueId) : null,
          holder_names: holderNames,
          public: isPublic,
          sale_starts_at: optionalInstant(saleStartsAt, zone),
          sale_ends_at: optionalInstant(saleEndsAt, zone),
          tags: tags.split(',').map((x) => x.trim()).filter(Boolean),
        },
      },
    })),
    onSuccess: refresh,
  });
  const refused = useFieldError(save.error);
  return (
    <Card withBorder component="section" aria-labelledby="details-title">
      <Title order={2} size="h4" mb="xs" id="details-title">{t('events.edit.details')}</Title>
      <Stack component="form" gap="sm" onSubmit={submit(() => save.mutate())}>
        <Failure error={save.error} />
        {save.isSuccess && !save.isPending && <Text size="sm" role="status">{t('events.edit.saved')}</Text>}
        <fieldset disabled={readOnly} style={{ border: 0, padding: 0, margin: 0, minWidth: 0 }}>
          <Stack gap="sm">
            <TextInput label={t('events.form.title')} required value={title} onChange={(e) => setTitle(e.currentTarget.value)} error={refused('title')} />
            <Textarea label={t('events.form.description')} autosize minRows={2} value={description} onChange={(e) => setDescription(e.currentTarget.value)} />
            <TextInput label={t('events.form.image')} type="url" value={imageUrl} onChange={(e) => setImageUrl(e.currentTarget.value)} error={refused('image_urls')} />
            <Group align="end" wrap="wrap">
              <NativeSelect label={t('events.edit.venue')} value={venueId} onChange={(e) => setVenueId(e.currentTarget.value)}
                data={[{ value: '', label: t('events.edit.noVenue') }, ...venues.map((v) => ({ value: String(v.id), label: `${v.name}, ${v.city}` }))]} />
              <NativeSelect label={t('events.edit.holderNames')} value={holderNames} onChange={(e) => setHolderNames(e.currentTarget.value as ManagedEvent['holder_names'])}
                data={(['none', 'optional', 'required'] as const).map((v) => ({ value: v, label: t(`events.edit.holder.${v}`) }))} />
            </Group>
            <Group align="end" wrap="wrap">
              <TextInput label={t('events.edit.saleStartsAt')} description={t('events.edit.saleHint')} type="datetime-local" value={saleStartsAt} onChange={(e) => setSaleStartsAt(e.currentTarget.value)} error={refused('sale_starts_at')} />
              <TextInput label={t('events.edit.saleEndsAt')} type="datetime-local" value={saleEndsAt} onChange={(e) => setSaleEndsAt(e.currentTarget.value)} error={refused('sale_ends_at')} />
            </Group>
            <TextInput label={t('events.edit.tags')} value={tags} onChange={(e) => setTags(e.currentTarget.value)} error={refused('tags')} />
            <Checkbox label={t('events.edit.public')} checked={isPublic} onChange={(e) => setPublic(e.currentTarget.checked)} />
          </Stack>
        </fieldset>
        {!readOnly && <FormButtons saving={save.isPending} label={t('events.edit.save')} />}
      </Stack>
    </Card>
  );
}

interface DateValues { startsAt: string; endsAt: string; venueId: string; status: string }

function DateFields({ values, set, refused, withStatus }: { values: DateValues; set(v: DateValues): void; refused(field: string): string | undefined; withStatus: boolean }) {
  const { t } = useTranslation('manage');
  const { venues } = useEventParts();
  return (
    <Group align="end" wrap="wrap">
      <TextInput label={t('events.edit.startsAt')} type="datetime-local" required value={values.startsAt} onChange={(e) => set({ ...values, startsAt: e.currentTarget.value })} error={refused('starts_at')} />
      <TextInput label={t('events.edit.endsAt')} type="datetime-local" value={values.endsAt} onChange={(e) => set({ ...values, endsAt: e.currentTarget.value })} error={refused('ends_at')} />
      <NativeSelect label={t('events.edit.venue')} value={values.venueId} onChange={(e) => set({ ...values, venueId: e.currentTarget.value })}
        data={[{ value: '', label: t('events.edit.sameVenue') }, ...venues.map((v) => ({ value: String(v.id), label: `${v.name}, ${v.city}` }))]} />
      {withStatus && <NativeSelect label={t('events.edit.dateStatus')} value={values.status} onChange={(e) => set({ ...values, status: e.currentTarget.value })}
        data={(['scheduled', 'cancelled'] as const).map((s) => ({ value: s, label: t(`events.edit.dateStatuses.${s}`) }))} />}
    </Group>
  );
}

const dateBody = (values: DateValues, zone: string) => ({
  starts_at: fromLocalInput(values.startsAt, zone),
  ends_at: optionalInstant(values.endsAt, zone),
  venue_id: values.venueId ? Number(values.venueId) : null,
  status: values.status as 'scheduled' | 'cancelled',
});

function useDateName(event: ManagedEvent) {
  const { i18n } = useTranslation();
  return (iso: string) => formatDateTime(iso, event.time_zone, i18n.language, { dateStyle: 'medium', timeStyle: 'short' });
}

function DateItem({ event, date, readOnly }: { event: ManagedEvent; date: EventDate; readOnly: boolean }) {
  const { t } = useTranslation('manage');
  const { headers, venues, refresh } = useEventParts();
  const dateName = useDateName(event);
  const zone = event.time_zone;
  const initial = (): DateValues => ({ startsAt: toLocalInput(date.starts_at, zone), endsAt: toLocalInput(date.ends_at, zone), venueId: date.venue_id === null ? '' : String(date.venue_id), status: date.status });
  const [editing, setEditing] = useState(false);
  const [values, setValues] = useState(initial);
  const save = useMutation({
    mutationFn: () => unwrap(api.PATCH('/api/events/{id}/dates/{date_id}', { headers, params: { path: { id: event.id, date_id: date.id } }, body: { date: dateBody(values, zone) } })),
    onSuccess: async () => { await refresh(); setEditing(false); },
  });
  const remove = useMutation({
    mutationFn: () => unwrap(api.DELETE('/api/events/{id}/dates/{date_id}', { headers, params: { path: { id: event.id, date_id: date.id } } })),
    onSuccess: refresh,
  });
  const refused = useFieldError(save.error);
  const name = dateName(date.starts_at);
  const venue = venues.find((v) => v.id === date.venue_id);
  return (
    <Item name={name} editing={editing} readOnly={readOnly} error={save.error ?? remove.error} inUse={t('events.edit.inUse.date')} removing={remove.isPending} remove={() => remove.mutate()}
      setEditing={(on) => { setValues(initial()); save.reset(); remove.reset(); setEditing(on); }}
      summary={(
        <Group gap="xs">
          <Text fw={600}>{name}{date.ends_at ? ` – ${dateName(date.ends_at)}` : ''}</Text>
          {venue && <Text size="sm">{venue.name}</Text>}
          {date.status === 'cancelled' && <Badge color="red.9" variant="light">{t('events.edit.dateStatuses.cancelled')}</Badge>}
        </Group>
      )}
      form={(
        <Stack component="form" gap="xs" aria-label={t('events.edit.editOf', { what: name })} onSubmit={submit(() => save.mutate())}>
          <DateFields values={values} set={setValues} refused={refused} withStatus />
          <FormButtons saving={save.isPending} label={t('events.edit.save')} onCancel={() => { save.reset(); setEditing(false); }} />
        </Stack>
      )}
    />
  );
}

/** Dates: each edited or deleted in place; a new one added below. */
export function DatesEditor({ event, readOnly }: { event: ManagedEvent; readOnly: boolean }) {
  const { t } = useTranslation('manage');
  const { headers, refresh } = useEventParts();
  const blank: DateValues = { startsAt: '', endsAt: '', venueId: '', status: 'scheduled' };
  const [values, setValues] = useState(blank);
  const add = useMutation({
    mutationFn: () => unwrap(api.POST('/api/events/{id}/dates', { headers, params: { path: { id: event.id } }, body: { date: dateBody(values, event.time_zone) } })),
    onSuccess: async () => { setValues(blank); await refresh(); },
  });
  const refused = useFieldError(add.error);
  return (
    <Card withBorder component="section" aria-labelledby="dates-title">
      <Title order={2} size="h4" mb="xs" id="dates-title">{t('events.dates')}</Title>
      <Text size="sm" mb="xs">{t('events.edit.timesIn', { zone: event.time_zone })}</Text>
      {event.dates.length === 0 ? <Text>{t('events.edit.noDates')}</Text> : (
        <Stack component="ul" gap="xs" p={0} m={0} style={{ listStyle: 'none' }}>
          {event.dates.map((d) => <DateItem key={d.id} event={event} date={d} readOnly={readOnly} />)}
        </Stack>
      )}
      {!readOnly && (
        <Stack component="form" gap="xs" mt="md" aria-label={t('events.edit.newDate')} onSubmit={submit(() => add.mutate())}>
          <Title order={3} size="h5">{t('events.edit.newDate')}</Title>
          <Failure error={add.error} />
          <DateFields values={values} set={setValues} refused={refused} withStatus={false} />
          <FormButtons saving={add.isPending} label={t('events.edit.newDate')} />
        </Stack>
      )}
    </Card>
  );
}

interface SectionValues { name: string; description: string; capacity: number | string }

/** `seatedSomewhere`: the section is seated on some date, which keeps its number of seats whatever the capacity typed here. */
function SectionFields({ values, set, refused, seatedSomewhere = false }: { values: SectionValues; set(v: SectionValues): void; refused(field: string): string | undefined; seatedSomewhere?: boolean }) {
  const { t } = useTranslation('manage');
  return (
    <Group align="end" wrap="wrap">
      <TextInput label={t('events.edit.name')} required value={values.name} onChange={(e) => set({ ...values, name: e.currentTarget.value })} error={refused('name')} />
      <TextInput label={t('events.edit.description')} value={values.description} onChange={(e) => set({ ...values, description: e.currentTarget.value })} />
      <NumberInput label={t('events.edit.capacity')} required min={0} allowDecimal={false} value={values.capacity} onChange={(v) => set({ ...values, capacity: v })} error={refused('capacity')} w={260}
        description={seatedSomewhere ? t('events.edit.seatedDatesKeep') : undefined} />
    </Group>
  );
}

const sectionBody = (values: SectionValues) => ({ name: values.name, description: values.description || null, capacity: Number(values.capacity) });

function SectionItem({ event, section, readOnly }: { event: ManagedEvent; section: Section; readOnly: boolean }) {
  const { t } = useTranslation('manage');
  const { headers, refresh } = useEventParts();
  const initial = (): SectionValues => ({ name: section.name, description: section.description ?? '', capacity: section.capacity });
  const [editing, setEditing] = useState(false);
  const [values, setValues] = useState(initial);
  const save = useMutation({
    mutationFn: () => unwrap(api.PATCH('/api/events/{id}/sections/{section_id}', { headers, params: { path: { id: event.id, section_id: section.id } }, body: { section: sectionBody(values) } })),
    onSuccess: async () => { await refresh(); setEditing(false); },
  });
  const remove = useMutation({
    mutationFn: () => unwrap(api.DELETE('/api/events/{id}/sections/{section_id}', { headers, params: { path: { id: event.id, section_id: section.id } } })),
    onSuccess: refresh,
  });
  const refused = useFieldError(save.error);
  return (
    <Item name={section.name} editing={editing} readOnly={readOnly} error={save.error ?? remove.error} inUse={t('events.edit.inUse.section')} removing={remove.isPending} remove={() => remove.mutate()}
      setEditing={(on) => { setValues(initial()); save.reset(); remove.reset(); setEditing(on); }}
      summary={<Text><Text span fw={600}>{section.name}</Text> — {t('events.edit.capacityShort', { capacity: section.capacity })}{section.description ? ` · ${section.description}` : ''}</Text>}
      form={(
        <Stack component="form" gap="xs" aria-label={t('events.edit.editOf', { what: section.name })} onSubmit={submit(() => save.mutate())}>
          <SectionFields values={values} set={setValues} refused={refused} seatedSomewhere={event.dates.some((d) => d.capacities.some((c) => c.section_id === section.id && c.seated))} />
          <FormButtons saving={save.isPending} label={t('events.edit.save')} onCancel={() => { save.reset(); setEditing(false); }} />
        </Stack>
      )}
    />
  );
}

/** Sections: each edited or deleted in place; a new one added below (it gets its capacity on every date). */
export function SectionsEditor({ event, readOnly }: { event: ManagedEvent; readOnly: boolean }) {
  const { t } = useTranslation('manage');
  const { headers, refresh } = useEventParts();
  const blank: SectionValues = { name: '', description: '', capacity: 100 };
  const [values, setValues] = useState(blank);
  const add = useMutation({
    mutationFn: () => unwrap(api.POST('/api/events/{id}/sections', { headers, params: { path: { id: event.id } }, body: { section: sectionBody(values) } })),
    onSuccess: async () => { setValues(blank); await refresh(); },
  });
  const refused = useFieldError(add.error);
  return (
    <Card withBorder component="section" aria-labelledby="sections-title">
      <Title order={2} size="h4" mb="xs" id="sections-title">{t('events.sections')}</Title>
      {event.sections.length === 0 ? <Text>{t('events.edit.noSections')}</Text> : (
        <Stack component="ul" gap="xs" p={0} m={0} style={{ listStyle: 'none' }}>
          {event.sections.map((s) => <SectionItem key={s.id} event={event} section={s} readOnly={readOnly} />)}
        </Stack>
      )}
      {!readOnly && (
        <Stack component="form" gap="xs" mt="md" aria-label={t('events.edit.newSection')} onSubmit={submit(() => add.mutate())}>
          <Title order={3} size="h5">{t('events.edit.newSection')}</Title>
          <Failure error={add.error} />
          <SectionFields values={values} set={setValues} refused={refused} />
          <FormButtons saving={add.isPending} label={t('events.edit.newSection')} />
        </Stack>
      )}
    </Card>
  );
}

/**
 * One date's capacities, a field per section, saved together (only the changed ones are sent). A
 * section seated on the date shows its capacity read-only: it is its number of seats, whose kills and
 * holds are made seat by seat (the server refuses a change by number).
 */
function CapacityRow({ event, date, readOnly }: { event: ManagedEvent; date: EventDate; readOnly: boolean }) {
  const { t } = useTranslation('manage');
  const { headers, refresh } = useEventParts();
  const dateName = useDateName(event)(date.starts_at);
  const current = (sectionId: number) => date.capacities.find((c) => c.section_id === sectionId)?.capacity ?? 0;
  const seated = (sectionId: number) => date.capacities.some((c) => c.section_id === sectionId && c.seated);
  const [values, setValues] = useState<Record<number, number | string>>({});
  const save = useMutation({
    mutationFn: async () => {
      for (const [sectionId, capacity] of Object.entries(values)) {
        if (capacity === '' || Number(capacity) === current(Number(sectionId)) || seated(Number(sectionId))) continue;
        await unwrap(api.PUT('/api/events/{id}/dates/{date_id}/capacities/{section_id}', {
          headers, params: { path: { id: event.id, date_id: date.id, section_id: Number(sectionId) } }, body: { capacity: { capacity: Number(capacity) } },
        }));
      }
    },
    onSuccess: async () => { await refresh(); setValues({}); },
  });
  return (
    <Table.Tr>
      <Table.Th scope="row">{dateName}</Table.Th>
      {event.sections.map((s) => (
        <Table.Td key={s.id}>
          {seated(s.id) ? (
            <NumberInput aria-label={t('events.edit.capacityOf', { section: s.name, date: dateName })} readOnly hideControls value={current(s.id)} variant="filled"
              description={t('events.edit.seatedCapacity')} inputWrapperOrder={['input', 'description']} maw={240} styles={{ input: { width: 110 } }} />
          ) : (
            <NumberInput aria-label={t('events.edit.capacityOf', { section: s.name, date: dateName })} min={0} allowDecimal={false} disabled={readOnly}
              value={values[s.id] ?? current(s.id)} onChange={(v) => setValues({ ...values, [s.id]: v })} w={110} />
          )}
        </Table.Td>
      ))}
      <Table.Td>
        {!readOnly && <Button size="xs" variant="light" loading={save.isPending} onClick={() => save.mutate()} aria-label={t('events.edit.saveCapacities', { date: dateName })}>{t('events.edit.save')}</Button>}
        {save.isError && <Failure error={save.error} />}
      </Table.Td>
    </Table.Tr>
  );
}

/** Capacity of each section on each date (a section's capacity is each new date's; a date may differ). */
export function CapacitiesEditor({ event, readOnly }: { event: ManagedEvent; readOnly: boolean }) {
  const { t } = useTranslation('manage');
  if (event.dates.length === 0 || event.sections.length === 0) return null;
  return (
    <Card withBorder component="section" aria-labelledby="capacities-title">
      <Title order={2} size="h4" mb="xs" id="capacities-title">{t('events.edit.capacities')}</Title>
      <Table.ScrollContainer minWidth={160 + event.sections.length * 130}>
        <Table>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('events.form.dates')}</Table.Th>
              {event.sections.map((s) => <Table.Th key={s.id}>{s.name}</Table.Th>)}
              <Table.Td />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {event.dates.map((d) => <CapacityRow key={`${d.id}:${d.capacities.map((c) => `${c.capacity}${c.seated ? 's' : ''}`).join(',')}`} event={event} date={d} readOnly={readOnly} />)}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Card>
  );
}

interface TariffValues { label: string; sectionId: string; price: number | string; saleStartsAt: string; saleEndsAt: string; maxPerOrder: number | string; quota: number | string; channelIds: number[] }

function TariffFields({ event, values, set, refused, currency }: { event: ManagedEvent; values: TariffValues; set(v: TariffValues): void; refused(field: string): string | undefined; currency: string }) {
  const { t } = useTranslation('manage');
  const { channels } = useEventParts();
  return (
    <Stack gap="xs">
      <Group align="end" wrap="wrap">
        <TextInput label={t('events.edit.label')} required value={values.label} onChange={(e) => set({ ...values, label: e.currentTarget.value })} error={refused('label')} />
        <NativeSelect label={t('events.edit.section')} required value={values.sectionId} onChange={(e) => set({ ...values, sectionId: e.currentTarget.value })}
          data={event.sections.map((s) => ({ value: String(s.id), label: s.name }))} error={refused('section_id')} />
        <NumberInput label={t('events.edit.price', { currency })} required min={0} decimalScale={minorDigits(currency)} value={values.price} onChange={(v) => set({ ...values, price: v })} error={refused('price')} w={140} />
      </Group>
      <Group align="end" wrap="wrap">
        <TextInput label={t('events.edit.saleStartsAt')} type="datetime-local" value={values.saleStartsAt} onChange={(e) => set({ ...values, saleStartsAt: e.currentTarget.value })} error={refused('sale_starts_at')} />
        <TextInput label={t('events.edit.saleEndsAt')} type="datetime-local" value={values.saleEndsAt} onChange={(e) => set({ ...values, saleEndsAt: e.currentTarget.value })} error={refused('sale_ends_at')} />
        <NumberInput label={t('events.edit.maxPerOrder')} description={t('events.edit.noLimit')} min={1} allowDecimal={false} value={values.maxPerOrder} onChange={(v) => set({ ...values, maxPerOrder: v })} error={refused('max_per_order')} w={170} />
        <NumberInput label={t('events.edit.quota')} description={t('events.edit.noLimit')} min={0} allowDecimal={false} value={values.quota} onChange={(v) => set({ ...values, quota: v })} error={refused('quota')} w={170} />
      </Group>
      {channels.length > 1 && (
        <Checkbox.Group label={t('events.edit.channels')} description={t('events.edit.channelsHint')} value={values.channelIds.map(String)} onChange={(ids) => set({ ...values, channelIds: ids.map(Number) })}>
          <Group gap="md" mt={4}>{channels.map((c) => <Checkbox key={c.id} value={String(c.id)} label={c.name} />)}</Group>
        </Checkbox.Group>
      )}
    </Stack>
  );
}

const tariffBody = (values: TariffValues, zone: string, currency: string) => ({
  label: values.label,
  section_id: Number(values.sectionId),
  price: Math.round(Number(values.price) * 10 ** minorDigits(currency)),
  sale_starts_at: optionalInstant(values.saleStartsAt, zone),
  sale_ends_at: optionalInstant(values.saleEndsAt, zone),
  max_per_order: optionalCount(values.maxPerOrder),
  quota: optionalCount(values.quota),
  interface_ids: values.channelIds,
});

function TariffItem({ event, tariff, readOnly }: { event: ManagedEvent; tariff: Tariff; readOnly: boolean }) {
  const { t, i18n } = useTranslation('manage');
  const { headers, channels, refresh } = useEventParts();
  const zone = event.time_zone;
  const initial = (): TariffValues => ({
    label: tariff.label, sectionId: String(tariff.section_id), price: tariff.price / 10 ** minorDigits(tariff.currency),
    saleStartsAt: toLocalInput(tariff.sale_starts_at, zone), saleEndsAt: toLocalInput(tariff.sale_ends_at, zone),
    maxPerOrder: tariff.max_per_order ?? '', quota: tariff.quota ?? '', channelIds: tariff.interface_ids,
  });
  const [editing, setEditing] = useState(false);
  const [values, setValues] = useState(initial);
  const save = useMutation({
    mutationFn: () => unwrap(api.PATCH('/api/events/{id}/tariffs/{tariff_id}', { headers, params: { path: { id: event.id, tariff_id: tariff.id } }, body: { tariff: tariffBody(values, zone, tariff.currency) } })),
    onSuccess: async () => { await refresh(); setEditing(false); },
  });
  const remove = useMutation({
    mutationFn: () => unwrap(api.DELETE('/api/events/{id}/tariffs/{tariff_id}', { headers, params: { path: { id: event.id, tariff_id: tariff.id } } })),
    onSuccess: refresh,
  });
  const refused = useFieldError(save.error);
  const when = (iso: string) => formatDateTime(iso, zone, i18n.language, { dateStyle: 'medium', timeStyle: 'short' });
  const section = event.sections.find((s) => s.id === tariff.section_id)?.name ?? '';
  const details = [
    section,
    tariff.max_per_order ? t('events.edit.maxShort', { max: tariff.max_per_order }) : null,
    tariff.quota !== null ? t('events.edit.quotaShort', { quota: tariff.quota }) : null,
    tariff.sale_starts_at ? t('events.edit.from', { date: when(tariff.sale_starts_at) }) : null,
    tariff.sale_ends_at ? t('events.edit.until', { date: when(tariff.sale_ends_at) }) : null,
    tariff.interface_ids.length > 0 ? tariff.interface_ids.map((id) => channels.find((c) => c.id === id)?.name ?? `#${id}`).join(', ') : t('events.edit.everyChannel'),
  ].filter(Boolean).join(' · ');
  return (
    <Item name={tariff.label} editing={editing} readOnly={readOnly} error={save.error ?? remove.error} inUse={t('events.edit.inUse.tariff')} removing={remove.isPending} remove={() => remove.mutate()}
      setEditing={(on) => { setValues(initial()); save.reset(); remove.reset(); setEditing(on); }}
      summary={(
        <Stack gap={0}>
          <Text><Text span fw={600}>{tariff.label}</Text> — {formatMoney(tariff.price, tariff.currency, i18n.language)}</Text>
          <Text size="sm">{details}</Text>
        </Stack>
      )}
      form={(
        <Stack component="form" gap="xs" aria-label={t('events.edit.editOf', { what: tariff.label })} onSubmit={submit(() => save.mutate())}>
          <TariffFields event={event} values={values} set={setValues} refused={refused} currency={tariff.currency} />
          <FormButtons saving={save.isPending} label={t('events.edit.save')} onCancel={() => { save.reset(); setEditing(false); }} />
        </Stack>
      )}
    />
  );
}

/** Tariffs: each edited or deleted in place; a new one added below (on a section of the event). */
export function TariffsEditor({ event, readOnly, currency }: { event: ManagedEvent; readOnly: boolean; currency: string }) {
  const { t } = useTranslation('manage');
  const { headers, refresh } = useEventParts();
  const blank = (): TariffValues => ({ label: '', sectionId: String(event.sections[0]?.id ?? ''), price: 0, saleStartsAt: '', saleEndsAt: '', maxPerOrder: '', quota: '', channelIds: [] });
  const [values, setValues] = useState(blank);
  // Sections change under the form (one added or deleted): it then picks the first.
  const chosen = event.sections.some((s) => String(s.id) === values.sectionId) ? values : { ...values, sectionId: String(event.sections[0]?.id ?? '') };
  const add = useMutation({
    mutationFn: () => unwrap(api.POST('/api/events/{id}/tariffs', { headers, params: { path: { id: event.id } }, body: { tariff: tariffBody(chosen, event.time_zone, currency) } })),
    onSuccess: async () => { setValues(blank()); await refresh(); },
  });
  const refused = useFieldError(add.error);
  return (
    <Card withBorder component="section" aria-labelledby="tariffs-title">
      <Title order={2} size="h4" mb="xs" id="tariffs-title">{t('events.tariffs')}</Title>
      {event.tariffs.length === 0 ? <Text>{t('events.edit.noTariffs')}</Text> : (
        <Stack component="ul" gap="xs" p={0} m={0} style={{ listStyle: 'none' }}>
          {event.tariffs.map((x) => <TariffItem key={x.id} event={event} tariff={x} readOnly={readOnly} />)}
        </Stack>
      )}
      {!readOnly && event.sections.length > 0 && (
        <Stack component="form" gap="xs" mt="md" aria-label={t('events.edit.newTariff')} onSubmit={submit(() => add.mutate())}>
          <Title order={3} size="h5">{t('events.edit.newTariff')}</Title>
          <Failure error={add.error} />
          <TariffFields event={event} values={chosen} set={setValues} refused={refused} currency={currency} />
          <FormButtons saving={add.isPending} label={t('events.edit.newTariff')} />
        </Stack>
      )}
    </Card>
  );
}

/** Said when the event can no longer change (cancelled): its parts are shown, nothing is offered. */
export function FrozenNote() {
  const { t } = useTranslation('manage');
  return <Alert color="gray" role="note">{t('events.frozen')}</Alert>;
}
