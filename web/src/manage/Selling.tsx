import '../shop/seatmap/locales.ts';
import './locales-door-promotions.ts';
import { useState } from 'react';
import { Alert, Badge, Button, Card, Group, NativeSelect, NumberInput, Stack, Table, Text, TextInput, Title, VisuallyHidden } from '@mantine/core';
import { useMutation, useQueries, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { paths } from '../shared/api-types.ts';
import { ApiError, api, unwrap } from '../shared/api.ts';
import { SeatMap, type MapDrawing, type MapSeat, type SeatLook } from '../shop/seatmap/SeatMap.tsx';
import { rightsFor } from './rights.ts';
import { formatMoney, minorDigits } from '../shared/format.ts';
import { LoadError, Loading } from '../shared/Status.tsx';
import { usePageTitle } from '../shared/page.ts';
import { useManage } from './context.tsx';
import { Pager, PER_PAGE } from './Events.tsx';
import { EventSelect, Failure, listPage, useDateLabel, useEventChoices, useFieldError, useOrganization, useWhen, type EventChoice } from './kit.tsx';

/** Discount codes: create (percentage or fixed amount, limit, end, events), list with their use so far, deactivate. */
export function Codes() {
  const { t, i18n } = useTranslation('manage');
  const { headers, membership } = useManage();
  const queryClient = useQueryClient();
  usePageTitle(t('codes.title'));
  const organization = useOrganization();
  const events = useEventChoices();
  const [page, setPage] = useState(1);
  const key = ['manage', membership.organization_id, 'codes'];
  const codes = useQuery({ queryKey: [...key, page], queryFn: () => listPage('codes', api.GET('/api/codes', { headers, params: { query: { page, per_page: PER_PAGE } } })) });
  const [code, setCode] = useState('');
  const [kind, setKind] = useState<'percentage' | 'fixed'>('percentage');
  const [value, setValue] = useState<number | string>(10);
  const [limit, setLimit] = useState<number | string>('');
  const [endsAt, setEndsAt] = useState('');
  const [eventId, setEventId] = useState('');
  const currency = organization.data?.currency ?? 'EUR';
  const refresh = () => queryClient.invalidateQueries({ queryKey: key });
  const create = useMutation({
    mutationFn: () => unwrap(api.POST('/api/codes', {
      headers,
      body: {
        code: {
          code: code.trim(),
          kind,
          value: kind === 'fixed' ? Math.round(Number(value) * 10 ** minorDigits(currency)) : Number(value),
          ...(kind === 'fixed' ? { currency } : {}),
          ...(limit !== '' ? { usage_limit: Number(limit) } : {}),
          ...(endsAt ? { ends_at: new Date(endsAt).toISOString() } : {}),
          ...(eventId ? { event_ids: [Number(eventId)] } : {}),
        },
      },
    })),
    onSuccess: () => { setCode(''); setLimit(''); setEndsAt(''); void refresh(); },
  });
  const toggle = useMutation({
    mutationFn: (input: { id: number; active: boolean }) => unwrap(api.PATCH('/api/codes/{id}', { headers, params: { path: { id: input.id } }, body: { code: { active: input.active } } })),
    onSuccess: refresh,
  });
  const refused = useFieldError(create.error);
  const when = useWhen();
  const discount = (c: { kind: string; value: number; currency: string | null }) => (c.kind === 'percentage' ? `${c.value} %` : formatMoney(c.value, c.currency ?? currency, i18n.language));
  const titleOf = (id: number) => events.data?.find((e) => e.id === id)?.title ?? `#${id}`;
  return (
    <Stack>
      <Title order={1}>{t('codes.title')}</Title>
      <Card withBorder maw={760}>
        <Title order={2} size="h4" mb="xs">{t('codes.create')}</Title>
        <Stack component="form" gap="sm" onSubmit={(e) => { e.preventDefault(); create.mutate(); }}>
          <Failure error={create.error} />
          <Group align="end" wrap="wrap">
            <TextInput label={t('codes.code')} description={t('codes.codeHint')} required value={code} onChange={(e) => setCode(e.currentTarget.value)} error={refused('code')} />
            <NativeSelect label={t('codes.kind')} value={kind} onChange={(e) => setKind(e.currentTarget.value as 'percentage' | 'fixed')}
              data={[{ value: 'percentage', label: t('codes.percentage') }, { value: 'fixed', label: t('codes.fixed', { currency }) }]} />
            <NumberInput label={kind === 'percentage' ? t('codes.percent') : t('codes.amount', { currency })} required min={kind === 'percentage' ? 1 : 0.01} max={kind === 'percentage' ? 100 : undefined}
              decimalScale={kind === 'percentage' ? 0 : 2} value={value} onChange={setValue} w={140} error={refused('value')} />
          </Group>
          <Group align="end" wrap="wrap">
            <NumberInput label={t('codes.limit')} description={t('codes.limitHint')} min={1} value={limit} onChange={setLimit} w={180} error={refused('usage_limit')} />
            <TextInput label={t('codes.endsAt')} type="datetime-local" value={endsAt} onChange={(e) => setEndsAt(e.currentTarget.value)} />
            {events.data && <EventSelect events={events.data} value={eventId} onChange={setEventId} allLabel={t('codes.allEvents')} />}
          </Group>
          <Button type="submit" loading={create.isPending} w="fit-content">{t('codes.save')}</Button>
        </Stack>
      </Card>
      <Failure error={toggle.error} />
      {codes.isPending ? <Loading /> : codes.isError ? <LoadError error={codes.error} /> : codes.data.items.length === 0 ? <Text>{t('codes.none')}</Text> : (
        <>
          <Table.ScrollContainer minWidth={680}>
            <Table striped>
              <Table.Thead><Table.Tr><Table.Th>{t('codes.code')}</Table.Th><Table.Th>{t('codes.discount')}</Table.Th><Table.Th>{t('codes.used')}</Table.Th><Table.Th>{t('codes.endsAt')}</Table.Th><Table.Th>{t('kit.event')}</Table.Th><Table.Th>{t('codes.status')}</Table.Th><Table.Th /></Table.Tr></Table.Thead>
              <Table.Tbody>
                {codes.data.items.map((c) => (
                  <Table.Tr key={c.id} data-testid={`code-${c.code}`}>
                    <Table.Td ff="monospace">{c.code}</Table.Td>
                    <Table.Td>{discount(c)}</Table.Td>
                    <Table.Td>{c.usage_limit !== null ? t('codes.usedOf', { used: c.used, limit: c.usage_limit }) : c.used}</Table.Td>
                    <Table.Td>{c.ends_at ? when(c.ends_at) : '—'}</Table.Td>
                    <Table.Td>{c.event_ids.length === 0 ? t('codes.allEvents') : c.event_ids.map(titleOf).join(', ')}</Table.Td>
                    <Table.Td><Badge variant="filled" color={c.active ? 'teal.9' : 'gray.8'}>{c.active ? t('codes.active') : t('codes.inactive')}</Badge></Table.Td>
                    <Table.Td>
                      <Button size="xs" variant="default" onClick={() => toggle.mutate({ id: c.id, active: !c.active })}>
                        {c.active ? t('codes.deactivate') : t('codes.reactivate')}
                      </Button>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          <Pager page={page} total={codes.data.total} onPage={setPage} />
        </>
      )}
    </Stack>
  );
}

/** An event's date and section choosers (the pages that act on places of one date and section). */
function DateSectionSelects({ event, dateId, sectionId, onDate, onSection }: { event: EventChoice; dateId: string; sectionId: string; onDate: (v: string) => void; onSection: (v: string) => void }) {
  const { t } = useTranslation('manage');
  const dateLabel = useDateLabel();
  return (
    <>
      <NativeSelect label={t('kit.date')} required value={dateId} onChange={(e) => onDate(e.currentTarget.value)}
        data={[{ value: '', label: '—' }, ...event.dates.map((d) => ({ value: String(d.id), label: dateLabel(event, d.id) }))]} />
      <NativeSelect label={t('kit.section')} required value={sectionId} onChange={(e) => onSection(e.currentTarget.value)}
        data={[{ value: '', label: '—' }, ...event.sections.map((s) => ({ value: String(s.id), label: s.name }))]} />
    </>
  );
}

/** Guest lists: comps issued to named guests (they take places like sales), listed per event, withdrawn. */
export function Guests() {
  const { t } = useTranslation('manage');
  const { headers, membership } = useManage();
  const queryClient = useQueryClient();
  usePageTitle(t('guests.title'));
  const events = useEventChoices();
  const dateLabel = useDateLabel();
  const [eventId, setEventId] = useState('');
  const [dateId, setDateId] = useState('');
  const [sectionId, setSectionId] = useState('');
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [quantity, setQuantity] = useState<number | string>(2);
  const [note, setNote] = useState('');
  const [page, setPage] = useState(1);
  const key = ['manage', membership.organization_id, 'guests', eventId];
  const guests = useQuery({
    queryKey: [...key, page],
    enabled: eventId !== '',
    queryFn: () => listPage('guests', api.GET('/api/guests', { headers, params: { query: { event_id: Number(eventId), page, per_page: PER_PAGE } } })),
  });
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['manage', membership.organization_id] });
  const issue = useMutation({
    mutationFn: () => unwrap(api.POST('/api/guests', {
      headers,
      body: { guest: { event_id: Number(eventId), date_id: Number(dateId), section_id: Number(sectionId), name: name.trim(), quantity: Number(quantity), ...(email ? { email } : {}), ...(note ? { note } : {}) } },
    })),
    onSuccess: () => { setName(''); setEmail(''); setNote(''); void refresh(); },
  });
  const withdraw = useMutation({ mutationFn: (id: number) => unwrap(api.DELETE('/api/guests/{id}', { headers, params: { path: { id } } })), onSuccess: refresh });
  if (events.isPending) return <Loading />;
  if (events.isError) return <LoadError error={events.error} />;
  const event = events.data.find((e) => String(e.id) === eventId);
  return (
    <Stack>
      <Title order={1}>{t('guests.title')}</Title>
      <EventSelect events={events.data} value={eventId} onChange={(v) => { setEventId(v); setDateId(''); setSectionId(''); setPage(1); }} />
      {event && (
        <>
          <Card withBorder maw={760}>
            <Title order={2} size="h4" mb="xs">{t('guests.issue')}</Title>
            <Stack component="form" gap="sm" onSubmit={(e) => { e.preventDefault(); issue.mutate(); }}>
              <Failure error={issue.error} />
              <Group align="end" wrap="wrap">
                <TextInput label={t('guests.name')} required value={name} onChange={(e) => setName(e.currentTarget.value)} />
                <TextInput label={t('guests.email')} type="email" value={email} onChange={(e) => setEmail(e.currentTarget.value)} />
                <NumberInput label={t('guests.quantity')} required min={1} max={100} value={quantity} onChange={setQuantity} w={120} />
              </Group>
              <Group align="end" wrap="wrap">
                <DateSectionSelects event={event} dateId={dateId} sectionId={sectionId} onDate={setDateId} onSection={setSectionId} />
                <TextInput label={t('guests.note')} value={note} onChange={(e) => setNote(e.currentTarget.value)} />
              </Group>
              <Button type="submit" loading={issue.isPending} w="fit-content">{t('guests.save')}</Button>
            </Stack>
          </Card>
          <Failure error={withdraw.error} />
          {guests.isPending ? <Loading /> : guests.isError ? <LoadError error={guests.error} /> : guests.data.items.length === 0 ? <Text>{t('guests.none')}</Text> : (
            <>
              <Table.ScrollContainer minWidth={680}>
                <Table striped>
                  <Table.Thead><Table.Tr><Table.Th>{t('guests.name')}</Table.Th><Table.Th>{t('kit.date')}</Table.Th><Table.Th>{t('kit.section')}</Table.Th><Table.Th>{t('guests.quantity')}</Table.Th><Table.Th>{t('guests.tickets')}</Table.Th><Table.Th>{t('codes.status')}</Table.Th><Table.Th /></Table.Tr></Table.Thead>
                  <Table.Tbody>
                    {guests.data.items.map((g) => (
                      <Table.Tr key={g.id} data-testid={`guest-${g.id}`}>
                        <Table.Td>{g.name}{g.email ? <Text size="xs" c="gray.7">{g.email}</Text> : null}</Table.Td>
                        <Table.Td>{dateLabel(event, g.date_id)}</Table.Td>
                        <Table.Td>{event.sections.find((s) => s.id === g.section_id)?.name}</Table.Td>
                        <Table.Td>{g.quantity}</Table.Td>
                        <Table.Td ff="monospace" fz="xs">{g.tickets.map((x) => x.barcode).join(' ')}</Table.Td>
                        <Table.Td><Badge variant="filled" color={g.status === 'issued' ? 'teal.9' : 'gray.8'}>{t(`guests.statuses.${g.status}`, { defaultValue: g.status })}</Badge></Table.Td>
                        <Table.Td>
                          {g.status === 'issued' && (
                            <Button size="xs" variant="default" onClick={() => { if (window.confirm(t('guests.confirmWithdraw', { name: g.name }))) withdraw.mutate(g.id); }}>{t('guests.withdraw')}</Button>
                          )}
                        </Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </Table.ScrollContainer>
              <Pager page={page} total={guests.data.total} onPage={setPage} />
            </>
          )}
        </>
      )}
    </Stack>
  );
}

/**
 * What the holds page reads, and what it changes: the page opens for members whose role gives the
 * first, and offers changes only to those whose role gives the second (the server's own table).
 */
export const HOLDS_RIGHTS = {
  read: rightsFor(['get', '/api/events'], ['get', '/api/events/{id}/capacities'], ['get', '/api/events/{id}/dates/{date_id}/seats'], ['get', '/api/events/{id}/dates/{date_id}/map']),
  change: rightsFor(['patch', '/api/events/{id}/dates/{date_id}/capacities/{section_id}'], ['patch', '/api/events/{id}/dates/{date_id}/seats']),
};

type SellerSeat = paths['/api/events/{id}/dates/{date_id}/seats']['get']['responses'][200]['content']['application/json']['seats'][number];
const seatsKey = (organizationId: number, eventId: number, dateId: number) => ['manage', organizationId, 'seats', eventId, dateId];

/**
 * Holds and kills: per date and section, the places the organizer keeps aside or removes from sale,
 * with the figures they move; on a seated date, seat by seat (picked on the map or by label).
 */
export function Holds() {
  const { t } = useTranslation('manage');
  const { headers, membership, can } = useManage();
  const queryClient = useQueryClient();
  usePageTitle(t('holds.title'));
  const events = useEventChoices();
  const dateLabel = useDateLabel();
  const [eventId, setEventId] = useState('');
  const mayChange = can(HOLDS_RIGHTS.change);
  const key = ['manage', membership.organization_id, 'capacities', eventId];
  const capacities = useQuery({
    queryKey: key,
    enabled: eventId !== '',
    queryFn: async () => (await unwrap(api.GET('/api/events/{id}/capacities', { headers, params: { path: { id: Number(eventId) } } }))).capacities,
  });
  const event = events.data?.find((e) => String(e.id) === eventId);
  // Each date's seats (none on a date without a seat map): the sections sold seat by seat are held seat by seat.
  const seatAnswers = useQueries({
    queries: (event?.dates ?? []).map((d) => ({
      queryKey: seatsKey(membership.organization_id, event!.id, d.id),
      queryFn: async () => (await unwrap(api.GET('/api/events/{id}/dates/{date_id}/seats', { headers, params: { path: { id: event!.id, date_id: d.id } } }))).seats as SellerSeat[],
    })),
  });
  const seatsOf = new Map((event?.dates ?? []).map((d, i) => [d.id, seatAnswers[i]?.data ?? []]));
  const seated = (dateId: number, sectionId: number) => (seatsOf.get(dateId) ?? []).some((s) => s.section_id === sectionId);
  const seatedDates = (event?.dates ?? []).filter((d) => (seatsOf.get(d.id) ?? []).length > 0);
  const adjust = useMutation({
    mutationFn: (input: { dateId: number; sectionId: number; kills: number; holds: number }) => unwrap(api.PATCH('/api/events/{id}/dates/{date_id}/capacities/{section_id}', {
      headers,
      params: { path: { id: Number(eventId), date_id: input.dateId, section_id: input.sectionId } },
      body: { capacity: { kills: input.kills, organizer_holds: input.holds } },
    })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: key }),
  });
  if (events.isPending) return <Loading />;
  if (events.isError) return <LoadError error={events.error} />;
  return (
    <Stack>
      <Title order={1}>{t('holds.title')}</Title>
      <Text maw={720}>{t('holds.intro')}</Text>
      <EventSelect events={events.data} value={eventId} onChange={setEventId} />
      {event && (capacities.isPending ? <Loading /> : capacities.isError ? <LoadError error={capacities.error} /> : (
        <>
          <Failure error={adjust.error} explain={{ CONFLICT: t('holds.wouldNotFit') }} />
          {adjust.isSuccess && !adjust.isError && <Text role="status" c="teal.9">{t('holds.saved')}</Text>}
          <Table.ScrollContainer minWidth={900}>
            <Table striped>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('kit.date')}</Table.Th><Table.Th>{t('kit.section')}</Table.Th><Table.Th ta="right">{t('dashboard.capacity')}</Table.Th>
                  <Table.Th ta="right">{t('dashboard.sold')}</Table.Th><Table.Th ta="right">{t('holds.comps')}</Table.Th><Table.Th>{t('holds.kills')}</Table.Th>
                  <Table.Th>{t('holds.holds')}</Table.Th><Table.Th ta="right">{t('holds.sellable')}</Table.Th><Table.Th ta="right">{t('dashboard.available')}</Table.Th><Table.Th />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {capacities.data.map((c) => (
                  <HoldRow key={`${c.date_id}-${c.section_id}-${c.kills}-${c.organizer_holds}`} figures={c} date={dateLabel(event, c.date_id)} section={event.sections.find((s) => s.id === c.section_id)?.name ?? ''}
                    pending={adjust.isPending} mode={!mayChange ? 'read' : seated(c.date_id, c.section_id) ? 'seated' : 'edit'}
                    onSave={(kills, holds) => adjust.mutate({ dateId: c.date_id, sectionId: c.section_id, kills, holds })} />
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          {seatedDates.length > 0 && (
            <SeatHolds event={event} dates={seatedDates} seatsOf={seatsOf} mayChange={mayChange}
              onChanged={() => queryClient.invalidateQueries({ queryKey: key })} />
          )}
        </>
      ))}
    </Stack>
  );
}

interface Figures { capacity: number; sold: number; comps: number; kills: number; organizer_holds: number; sellable: number; available: number }

/**
 * One date and section: kills and holds typed in place (kept when the server refuses them), saved
 * together. A seated section's figures are the seats held and killed (changed on the map below);
 * a member who may not change them reads them.
 */
function HoldRow({ figures, date, section, pending, mode, onSave }: { figures: Figures; date: string; section: string; pending: boolean; mode: 'edit' | 'seated' | 'read'; onSave: (kills: number, holds: number) => void }) {
  const { t } = useTranslation('manage');
  const [kills, setKills] = useState<number | string>(figures.kills);
  const [holds, setHolds] = useState<number | string>(figures.organizer_holds);
  const where = `${date} · ${section}`;
  const editable = mode === 'edit';
  return (
    <Table.Tr>
      <Table.Td>{date}</Table.Td><Table.Td>{section}{mode === 'seated' && <Text size="xs" c="gray.7">{t('seatHolds.bySeat')}</Text>}</Table.Td><Table.Td ta="right">{figures.capacity}</Table.Td>
      <Table.Td ta="right">{figures.sold}</Table.Td><Table.Td ta="right">{figures.comps}</Table.Td>
      <Table.Td>{editable ? <NumberInput size="xs" w={90} min={0} aria-label={t('holds.killsOf', { where })} value={kills} onChange={setKills} /> : figures.kills}</Table.Td>
      <Table.Td>{editable ? <NumberInput size="xs" w={90} min={0} aria-label={t('holds.holdsOf', { where })} value={holds} onChange={setHolds} /> : figures.organizer_holds}</Table.Td>
      <Table.Td ta="right">{figures.sellable}</Table.Td><Table.Td ta="right">{figures.available}</Table.Td>
      <Table.Td>
        {editable && <Button size="xs" variant="default" loading={pending} aria-label={t('holds.saveOf', { where })} onClick={() => onSave(Number(kills || 0), Number(holds || 0))}>{t('holds.save')}</Button>}
      </Table.Td>
    </Table.Tr>
  );
}

/** "A-1, a1, Stalls B 7": the seats named in a typed list (row and number, the area when several have that row), and the names not found. */
export function seatsByLabel(seats: SellerSeat[], typed: string): { ids: number[]; unknown: string[] } {
  const squash = (s: string) => s.toUpperCase().replace(/[\s\-_.,:/]+/g, '');
  const ids: number[] = [];
  const unknown: string[] = [];
  for (const entry of typed.split(/[,;\n]+/).map((s) => s.trim()).filter(Boolean)) {
    const wanted = squash(entry);
    const found = seats.filter((s) => squash(`${s.row}${s.number}`) === wanted || squash(`${s.area}${s.row}${s.number}`) === wanted);
    if (found.length === 0) unknown.push(entry);
    for (const s of found) if (!ids.includes(s.id)) ids.push(s.id);
  }
  return { ids, unknown };
}

/**
 * The seats of a seated date, held or killed one by one: picked on the shop's seat map (free seats,
 * and seats already held or killed, to release them; seats sold or in a buyer's cart cannot be) or
 * typed as a list of labels, then held, killed or put back on sale together.
 */
function SeatHolds({ event, dates, seatsOf, mayChange, onChanged }: { event: EventChoice; dates: EventChoice['dates']; seatsOf: Map<number, SellerSeat[]>; mayChange: boolean; onChanged: () => void }) {
  const { t } = useTranslation('manage');
  const { t: ts } = useTranslation('seatmap');
  const { headers, membership } = useManage();
  const queryClient = useQueryClient();
  const dateLabel = useDateLabel();
  const [dateId, setDateId] = useState(dates[0].id);
  const [chosen, setChosen] = useState<Set<number>>(new Set());
  const [typed, setTyped] = useState('');
  const [unknown, setUnknown] = useState<string[]>([]);
  const [notice, setNotice] = useState('');
  const [done, setDone] = useState('');
  const date = dates.find((d) => d.id === dateId) ?? dates[0];
  const seats = seatsOf.get(date.id) ?? [];
  const map = useQuery({
    queryKey: ['manage', membership.organization_id, 'date-map', event.id, date.id],
    queryFn: async () => (await unwrap(api.GET('/api/events/{id}/dates/{date_id}/map', { headers, params: { path: { id: event.id, date_id: date.id } } }))).date_map,
    staleTime: 5 * 60_000,
  });
  const block = useMutation({
    mutationFn: (blocked: 'hold' | 'kill' | null) =>
      unwrap(api.PATCH('/api/events/{id}/dates/{date_id}/seats', { headers, params: { path: { id: event.id, date_id: date.id } }, body: { seats: { seat_ids: [...chosen], blocked } } })),
    onSuccess: (answer, blocked) => {
      queryClient.setQueryData(seatsKey(membership.organization_id, event.id, date.id), answer.seats);
      const said = t(blocked === 'hold' ? 'seatHolds.held' : blocked === 'kill' ? 'seatHolds.killed' : 'seatHolds.released', { count: chosen.size });
      setNotice('');
      setDone(said);
      setChosen(new Set());
      setUnknown([]);
      onChanged();
    },
  });
  const multipleAreas = new Set(seats.map((s) => s.area)).size > 1;
  const nameOf = (seat: SellerSeat) => ts(multipleAreas ? 'seatIn' : 'seat', { area: seat.area, row: seat.row, number: seat.number });
  const shortName = (seat: SellerSeat) => (multipleAreas ? `${seat.area} ${seat.row}-${seat.number}` : `${seat.row}-${seat.number}`);
  // Sold seats and seats in a buyer's cart are not the organizer's to hold.
  const buyers = (seat: SellerSeat) => seat.status === 'sold' || seat.status === 'held';
  const lookOf = (seat: MapSeat): SeatLook => {
    const s = seat as SellerSeat;
    return chosen.has(s.id) ? 'chosen' : buyers(s) ? 'taken' : s.status === 'killed' || s.status === 'organizer_hold' ? 'unavailable' : 'free';
  };
  const labelOf = (seat: MapSeat, look: SeatLook) =>
    [nameOf(seat as SellerSeat), t(`seatHolds.status.${(seat as SellerSeat).status ?? 'free'}`), look === 'chosen' ? t('seatHolds.selected') : null].filter(Boolean).join(', ');
  const toggle = (seat: MapSeat) => {
    const s = seat as SellerSeat;
    if (!mayChange || buyers(s)) return;
    const next = new Set(chosen);
    if (next.has(s.id)) next.delete(s.id);
    else next.add(s.id);
    setChosen(next);
    setDone('');
    setNotice(t(next.has(s.id) ? 'seatHolds.announceSelected' : 'seatHolds.announceUnselected', { seat: nameOf(s) }));
  };
  const pick = () => {
    const found = seatsByLabel(seats, typed);
    const usable = found.ids.filter((id) => !buyers(seats.find((s) => s.id === id)!));
    setUnknown([...found.unknown, ...found.ids.filter((id) => !usable.includes(id)).map((id) => shortName(seats.find((s) => s.id === id)!))]);
    setChosen(new Set([...chosen, ...usable]));
    if (found.unknown.length === 0 && usable.length === found.ids.length) setTyped('');
  };
  const list = (status: string) => seats.filter((s) => s.status === status).map(shortName).join(', ') || '—';
  const chosenSeats = seats.filter((s) => chosen.has(s.id));
  const conflict = block.error instanceof ApiError && block.error.code === 'CONFLICT'
    ? t('seatHolds.conflict', { seats: ((block.error.details as { seat_ids?: number[] } | undefined)?.seat_ids ?? []).map((id) => seats.find((s) => s.id === id)).filter((s): s is SellerSeat => Boolean(s)).map(shortName).join(', ') })
    : undefined;
  const titleId = 'seat-holds-title';
  return (
    <Card withBorder component="section" aria-labelledby={titleId}>
      <Stack gap="sm">
        <Title order={2} size="h4" id={titleId}>{t('seatHolds.title')}</Title>
        <Text size="sm" maw={720}>{t(mayChange ? 'seatHolds.intro' : 'seatHolds.readOnly')}</Text>
        {dates.length > 1 && (
          <NativeSelect label={t('kit.date')} value={String(date.id)} maw={320} onChange={(e) => { setDateId(Number(e.currentTarget.value)); setChosen(new Set()); setUnknown([]); }}
            data={dates.map((d) => ({ value: String(d.id), label: dateLabel(event, d.id) }))} />
        )}
        {map.isPending ? <Loading /> : map.isError ? <LoadError error={map.error} /> : (
          <div style={{ overflow: 'auto', maxHeight: '60vh', border: '1px solid var(--mantine-color-gray-3)', borderRadius: 4 }}>
            <SeatMap seats={seats} drawing={map.data.document as MapDrawing} lookOf={lookOf} labelOf={labelOf} onToggle={toggle} zoom={1}
              label={t('seatHolds.map', { date: dateLabel(event, date.id) })} disabledOf={(seat) => !mayChange || buyers(seat as SellerSeat)} />
          </div>
        )}
        <Text size="sm">{t('seatHolds.legend')}</Text>
        <VisuallyHidden aria-live="polite">{notice}</VisuallyHidden>
        <Group gap="xl" wrap="wrap" align="start">
          <div><Text size="sm" fw={600}>{t('seatHolds.heldList')}</Text><Text size="sm" data-testid="seats-held">{list('organizer_hold')}</Text></div>
          <div><Text size="sm" fw={600}>{t('seatHolds.killedList')}</Text><Text size="sm" data-testid="seats-killed">{list('killed')}</Text></div>
        </Group>
        {mayChange && (
          <>
            <Group component="form" align="end" wrap="wrap" onSubmit={(e) => { e.preventDefault(); pick(); }}>
              <TextInput label={t('seatHolds.byLabel')} description={t('seatHolds.byLabelHint')} value={typed} onChange={(e) => setTyped(e.currentTarget.value)} w={320} />
              <Button type="submit" variant="default">{t('seatHolds.pick')}</Button>
            </Group>
            {unknown.length > 0 && <Alert color="yellow" role="alert">{t('seatHolds.unknown', { seats: unknown.join(', ') })}</Alert>}
            <Text size="sm" data-testid="seats-selected">{chosenSeats.length === 0 ? t('seatHolds.noneSelected') : t('seatHolds.selection', { count: chosenSeats.length, seats: chosenSeats.map(shortName).join(', ') })}</Text>
            <Failure error={conflict ? null : block.error} />
            {conflict && <Alert color="red" role="alert">{conflict}</Alert>}
            {done && <Text role="status" c="teal.9">{done}</Text>}
            <Group gap="xs" wrap="wrap">
              <Button disabled={chosen.size === 0} loading={block.isPending && block.variables === 'hold'} onClick={() => block.mutate('hold')}>{t('seatHolds.hold')}</Button>
              <Button disabled={chosen.size === 0} variant="default" loading={block.isPending && block.variables === 'kill'} onClick={() => block.mutate('kill')}>{t('seatHolds.kill')}</Button>
              <Button disabled={chosen.size === 0} variant="default" loading={block.isPending && block.variables === null} onClick={() => block.mutate(null)}>{t('seatHolds.release')}</Button>
              <Button disabled={chosen.size === 0} variant="subtle" onClick={() => { setChosen(new Set()); setUnknown([]); }}>{t('seatHolds.clear')}</Button>
            </Group>
          </>
        )}
      </Stack>
    </Card>
  );
}
