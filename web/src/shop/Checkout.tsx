import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { Alert, Anchor, Button, Checkbox, Divider, Group, NativeSelect, Paper, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import { useQueries, useQuery } from '@tanstack/react-query';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api, ApiError, inOrganization, unwrap } from '../shared/api.ts';
import { errorMessage } from '../shared/errors.ts';
import { EMAIL, formatCountdown, formatDateTime, formatMoney } from '../shared/format.ts';
import { usePageTitle } from '../shared/page.ts';
import { useSession } from '../shared/session.tsx';
import { LoadError, Loading } from '../shared/Status.tsx';
import { shopEventQuery } from './queries.ts';

type Order = { id: number; number: string; status: string; total: number; currency: string; payments: { id: number; status: string }[] };

/** Seconds left on the cart's hold, ticking (the server decides; this only shows it). */
function useTimeLeft(expiresAt: string | null | undefined) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  return expiresAt ? new Date(expiresAt).getTime() - now : null;
}

/**
 * Checkout: the held tickets and the time left on the hold, the buyer, the event's questions, a
 * discount code checked as it is typed, then payment with the test provider (decline, confirmation
 * step). Every refusal is explained and nothing typed is lost.
 */
export function Checkout() {
  const { organization = '', cart: cartParam = '' } = useParams();
  const [params] = useSearchParams();
  const eventParam = params.get('event');
  const org = inOrganization(Number(organization));
  const cartId = Number(cartParam);
  const { t, i18n } = useTranslation('shop');
  usePageTitle(t('checkout.title'));
  const lang = i18n.language;
  const navigate = useNavigate();
  const session = useSession();

  const cart = useQuery({ queryKey: ['cart', cartId], queryFn: () => unwrap(api.GET('/api/carts/{id}', { params: { path: { id: cartId } }, headers: org })) });
  const eventIds = [...new Set(cart.data?.cart.items.map((i) => i.event_id) ?? [])];
  const events = useQueries({ queries: eventIds.map((id) => shopEventQuery(id)) });
  const questions = useQueries({ queries: eventIds.map((id) => ({ queryKey: ['questions', id], queryFn: () => unwrap(api.GET('/api/events/{id}/questions', { params: { path: { id } }, headers: org })) })) });

  const [buyer, setBuyer] = useState({ name: '', email: '' });
  useEffect(() => {
    if (session.account) setBuyer((b) => ({ name: b.name || [session.account!.first_name, session.account!.last_name].filter(Boolean).join(' '), email: b.email || session.account!.email }));
  }, [session.account]);
  const [answers, setAnswers] = useState<Record<string, string | boolean>>({});
  /** A name per ticket, `item:index`, for the events that ask for them. */
  const [holders, setHolders] = useState<Record<string, string>>({});
  const [code, setCode] = useState('');
  const [debouncedCode, setDebouncedCode] = useState('');
  useEffect(() => {
    const timer = setTimeout(() => setDebouncedCode(code.trim()), 400);
    return () => clearTimeout(timer);
  }, [code]);
  const discount = useQuery({
    queryKey: ['discount', cartId, debouncedCode],
    enabled: debouncedCode.length > 0,
    retry: false,
    queryFn: () => unwrap(api.GET('/api/carts/{id}/discount', { params: { path: { id: cartId }, query: { code: debouncedCode } }, headers: org })),
  });
  const [card, setCard] = useState({ number: '', expiry: '', cvv: '', holder: '' });
  const [order, setOrder] = useState<Order | null>(null);
  const [confirming, setConfirming] = useState<number | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [touched, setTouched] = useState(false);
  const [busy, setBusy] = useState(false);
  const timeLeft = useTimeLeft(cart.data?.cart.expires_at);
  const items = cart.data?.cart.items.filter((i) => i.status === 'held') ?? [];
  const expired = order === null && cart.isSuccess && (items.length === 0 || (timeLeft !== null && timeLeft <= 0));

  const allQuestions = questions.flatMap((q) => q.data?.questions ?? []);
  /** Every answer slot: per order, or per ticket of the question's event. */
  type Question = (typeof allQuestions)[number];
  type Item = (typeof items)[number];
  type Slot = { question: Question; item: Item | null; index: number | null; key: string };
  const slots = useMemo(
    (): Slot[] =>
      allQuestions.flatMap((q): Slot[] =>
        q.scope === 'ticket'
          ? items.filter((i) => i.event_id === q.event_id).flatMap((item) => Array.from({ length: item.quantity }, (_, index) => ({ question: q, item, index, key: `${q.id}:${item.id}:${index}` })))
          : [{ question: q, item: null, index: null, key: `${q.id}` }],
      ),
    [allQuestions.map((q) => q.id).join(','), items.map((i) => i.id).join(',')],
  );
  const holderNamesOf = (eventId: number) => events.find((e) => e.data?.event.id === eventId)?.data?.event.holder_names ?? 'none';
  /** One name field per ticket of an event that asks for names. */
  const holderSlots = items.filter((i) => holderNamesOf(i.event_id) !== 'none').flatMap((item) =>
    Array.from({ length: item.quantity }, (_, index) => ({ item, index, key: `${item.id}:${index}`, required: holderNamesOf(item.event_id) === 'required' })),
  );
  const describe = (tariffId: number, dateId: number) => {
    for (const e of events) {
      const event = e.data?.event;
      const date = event?.dates.find((d) => d.id === dateId);
      for (const s of date?.sections ?? []) {
        const tariff = s.tariffs.find((tf) => tf.id === tariffId);
        if (event && date && tariff) return { title: event.title, when: formatDateTime(date.starts_at, event.time_zone, lang, { dateStyle: 'medium', timeStyle: 'short' }), label: `${s.name} — ${tariff.label}` };
      }
    }
    return null;
  };

  // What the app checks before asking (the API checks the same and has the last word).
  const problems: Record<string, string> = {};
  if (touched) {
    if (!buyer.name.trim()) problems.name = t('checkout.required');
    if (!EMAIL.test(buyer.email.trim())) problems.email = t('checkout.invalidEmail');
    for (const slot of holderSlots) if (slot.required && !holders[slot.key]?.trim()) problems[`holder:${slot.key}`] = t('checkout.required');
    for (const slot of slots) {
      const value = answers[slot.key];
      if (slot.question.required && (value === undefined || value === '' || value === false)) problems[slot.key] = t('checkout.required');
    }
  }

  const pay = async (e: FormEvent) => {
    e.preventDefault();
    setTouched(true);
    const missing = !buyer.name.trim() || !EMAIL.test(buyer.email.trim()) || holderSlots.some((s) => s.required && !holders[s.key]?.trim()) || slots.some((s) => s.question.required && (answers[s.key] === undefined || answers[s.key] === '' || answers[s.key] === false));
    if (missing) {
      // Straight to the first field to fix (its message is read with it).
      requestAnimationFrame(() => document.querySelector<HTMLElement>('form [aria-invalid="true"]')?.focus());
      return;
    }
    setBusy(true);
    setError(null);
    try {
      let current = order;
      if (!current) {
        const answerList = slots
          .filter((s) => answers[s.key] !== undefined && answers[s.key] !== '')
          .map((s) => ({ question_id: s.question.id, ...(s.item ? { item_id: s.item.id, index: s.index! } : {}), value: answers[s.key] }));
        const holderList = [...new Set(holderSlots.map((s) => s.item))].map((item) => ({
          item_id: item.id,
          names: holderSlots.filter((s) => s.item === item).map((s) => ({ name: holders[s.key]?.trim() || null })),
        }));
        const created = await unwrap(
          api.POST('/api/carts/{id}/checkout', {
            params: { path: { id: cartId } },
            headers: org,
            body: { checkout: { buyer_name: buyer.name.trim(), buyer_email: buyer.email.trim(), ...(code.trim() ? { code: code.trim() } : {}), answers: answerList, holders: holderList } },
          }),
        );
        current = created.order as Order;
        setOrder(current);
      }
      if (current.status !== 'paid') {
        const paid = await unwrap(api.POST('/api/orders/{id}/payments', { params: { path: { id: current.id } }, headers: org, body: { payment: { provider: 'test', card: { ...card, number: card.number.replace(/\s+/g, '') } } } }));
        setOrder(paid.order as Order);
        if (paid.payment.status === 'requires_action') {
          setConfirming(paid.payment.id);
          return;
        }
        current = paid.order as Order;
      }
      await finish(current.id);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const finish = async (orderId: number) => {
    const link = await unwrap(api.GET('/api/orders/{id}/link', { params: { path: { id: orderId } }, headers: org }));
    navigate(link.link.path, { replace: true });
  };
  const confirm = async (outcome: 'approve' | 'decline') => {
    if (!order || confirming === null) return;
    setBusy(true);
    setError(null);
    try {
      const answer = await unwrap(api.POST('/api/orders/{id}/payments/{payment_id}/confirmation', { params: { path: { id: order.id, payment_id: confirming } }, headers: org, body: { confirmation: { outcome } } }));
      setConfirming(null);
      setOrder(answer.order as Order);
      if (answer.order.status === 'paid') await finish(order.id);
      else setError(new ApiError('PAYMENT_DECLINED', 'declined', 402));
    } catch (err) {
      setConfirming(null);
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  if (cart.isPending) return <Loading />;
  if (cart.isError) return <LoadError error={cart.error} retry={() => void cart.refetch()} />;
  const backTo = eventParam ? `/events/${eventParam}` : eventIds[0] ? `/events/${eventIds[0]}` : '/';
  const currency = cart.data.cart.currency ?? 'EUR';
  const total = discount.data && !order ? discount.data.discount.total : order ? order.total : cart.data.cart.total;
  const declined = error instanceof ApiError && error.code === 'PAYMENT_DECLINED';
  const holdLost = error instanceof ApiError && (error.code === 'HOLD_EXPIRED' || error.code === 'SOLD_OUT');

  return (
    <Stack gap="lg">
      <Title order={1}>{t('checkout.title')}</Title>
      <Paper withBorder p="md" component="section" aria-labelledby="cart-title">
        <Title order={2} size="h3" id="cart-title">{t('cart.title')}</Title>
        <Stack gap={4} mt="xs">
          {items.map((item) => {
            const d = describe(item.tariff_id, item.date_id);
            return (
              <Group key={item.id} justify="space-between" wrap="nowrap">
                <Text>{item.quantity} × {d ? `${d.title} · ${d.when} · ${d.label}` : `#${item.tariff_id}`}</Text>
                <Text fw={600}>{formatMoney(item.total, item.currency, lang)}</Text>
              </Group>
            );
          })}
        </Stack>
        {!order && !expired && timeLeft !== null && (
          <Alert mt="sm" color={timeLeft < 120_000 ? "#8a3b00" : "#1c3f94"} title={t('cart.heldUntil', { time: formatCountdown(timeLeft) })}>
            {t('cart.heldHelp')}
          </Alert>
        )}
      </Paper>

      {(expired || holdLost) && (
        <Alert color="red" role="alert" title={holdLost ? errorMessage(error, t) : t('cart.expired')}>
          <Anchor component={Link} to={backTo}>{t('cart.backToEvent')}</Anchor>
        </Alert>
      )}

      {confirming !== null ? (
        <Paper withBorder p="md" component="section" aria-labelledby="confirm-title">
          <Title order={2} size="h3" id="confirm-title">{t('checkout.confirmTitle')}</Title>
          <Text my="sm">{t('checkout.confirmBody')}</Text>
          <Group>
            <Button onClick={() => void confirm('approve')} loading={busy}>{t('checkout.approve')}</Button>
            <Button variant="default" onClick={() => void confirm('decline')} disabled={busy}>{t('checkout.decline')}</Button>
          </Group>
        </Paper>
      ) : (
        <form onSubmit={pay} noValidate>
          <Stack gap="lg">
            <Paper withBorder p="md" component="fieldset" disabled={order !== null}>
              <Title order={2} size="h3" component="legend">{t('checkout.buyer')}</Title>
              <SimpleGrid cols={{ base: 1, sm: 2 }} mt="xs">
                <TextInput label={t('checkout.name')} autoComplete="name" required value={buyer.name} onChange={(e) => setBuyer({ ...buyer, name: e.currentTarget.value })} error={problems.name} />
                <TextInput label={t('checkout.email')} type="email" autoComplete="email" required description={t('checkout.emailHelp')} value={buyer.email} onChange={(e) => setBuyer({ ...buyer, email: e.currentTarget.value })} error={problems.email} />
              </SimpleGrid>
            </Paper>

            {holderSlots.length > 0 && (
              <Paper withBorder p="md" component="fieldset" disabled={order !== null}>
                <Title order={2} size="h3" component="legend">{t('checkout.holders')}</Title>
                <Text size="sm" mt="xs">{holderSlots.some((s) => s.required) ? t('checkout.holdersRequired') : t('checkout.holdersOptional')}</Text>
                <SimpleGrid cols={{ base: 1, sm: 2 }} mt="xs">
                  {holderSlots.map((slot) => {
                    const d = describe(slot.item.tariff_id, slot.item.date_id);
                    return (
                      <TextInput
                        key={slot.key}
                        label={t('checkout.holder', { n: holderSlots.indexOf(slot) + 1, tariff: d ? d.label : '' })}
                        autoComplete="off"
                        required={slot.required}
                        value={holders[slot.key] ?? ''}
                        onChange={(e) => setHolders({ ...holders, [slot.key]: e.currentTarget.value })}
                        error={problems[`holder:${slot.key}`]}
                      />
                    );
                  })}
                </SimpleGrid>
              </Paper>
            )}

            {slots.length > 0 && (
              <Paper withBorder p="md" component="fieldset" disabled={order !== null}>
                <Title order={2} size="h3" component="legend">{t('checkout.questions')}</Title>
                <Stack mt="xs">
                  {slots.map((slot) => {
                    const label = slot.item ? t('checkout.ticketQuestion', { label: slot.question.label, n: slot.index! + 1 }) : slot.question.label;
                    const value = answers[slot.key];
                    const set = (v: string | boolean) => setAnswers({ ...answers, [slot.key]: v });
                    if (slot.question.kind === 'checkbox') return <Checkbox key={slot.key} label={label} required={slot.question.required} checked={value === true} onChange={(e) => set(e.currentTarget.checked)} error={problems[slot.key]} />;
                    if (slot.question.kind === 'choice')
                      return <NativeSelect key={slot.key} label={label} required={slot.question.required} value={String(value ?? '')} onChange={(e) => set(e.currentTarget.value)} data={[{ value: '', label: '—' }, ...slot.question.options.map((o) => ({ value: o, label: o }))]} error={problems[slot.key]} />;
                    return <TextInput key={slot.key} label={label} type={slot.question.kind === 'date' ? 'date' : 'text'} required={slot.question.required} value={String(value ?? '')} onChange={(e) => set(e.currentTarget.value)} error={problems[slot.key]} />;
                  })}
                </Stack>
              </Paper>
            )}

            <Paper withBorder p="md" component="fieldset" disabled={order !== null}>
              <Title order={2} size="h3" component="legend">{t('checkout.code')}</Title>
              <TextInput
                mt="xs"
                label={t('checkout.code')}
                value={code}
                onChange={(e) => setCode(e.currentTarget.value)}
                autoComplete="off"
                description={discount.isFetching ? t('checkout.checking') : discount.data ? t('checkout.codeValid', { code: discount.data.discount.code, discount: formatMoney(discount.data.discount.discount, currency, lang) }) : undefined}
                error={debouncedCode && discount.isError ? errorMessage(discount.error, t) : undefined}
                aria-live="polite"
              />
            </Paper>

            <Paper withBorder p="md" component="fieldset">
              <Title order={2} size="h3" component="legend">{t('checkout.payment')}</Title>
              <Text size="sm" mt="xs">{t('checkout.testCards')}</Text>
              <SimpleGrid cols={{ base: 1, sm: 2 }} mt="xs">
                <TextInput label={t('checkout.cardNumber')} autoComplete="cc-number" inputMode="numeric" required value={card.number} onChange={(e) => setCard({ ...card, number: e.currentTarget.value })} />
                <TextInput label={t('checkout.cardHolder')} autoComplete="cc-name" required value={card.holder} onChange={(e) => setCard({ ...card, holder: e.currentTarget.value })} />
                <TextInput label={t('checkout.expiry')} autoComplete="cc-exp" required value={card.expiry} onChange={(e) => setCard({ ...card, expiry: e.currentTarget.value })} />
                <TextInput label={t('checkout.cvv')} autoComplete="cc-csc" inputMode="numeric" required value={card.cvv} onChange={(e) => setCard({ ...card, cvv: e.currentTarget.value })} />
              </SimpleGrid>
            </Paper>

            <Divider />
            {error !== null && !holdLost && (
              <Alert color="red" role="alert">{declined ? t('checkout.declinedRetry') : errorMessage(error, t)}</Alert>
            )}
            <Group justify="space-between">
              <Text fw={700} size="lg">{t('common:field', { label: t('checkout.total'), value: formatMoney(total, currency, lang) })}</Text>
              <Button type="submit" size="md" loading={busy} disabled={expired && !order}>{t('checkout.pay', { total: formatMoney(total, currency, lang) })}</Button>
            </Group>
          </Stack>
        </form>
      )}
    </Stack>
  );
}
