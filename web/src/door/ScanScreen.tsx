import { memo, useCallback, useEffect, useMemo, useRef, useState, useSyncExternalStore, type FormEvent } from 'react';
import { Alert, Badge, Button, Group, NativeSelect, Paper, SegmentedControl, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { chooseLanguage, LANGUAGES, type Language } from '../shared/i18n.ts';
import type { DoorEngine, EngineState } from './engine.ts';
import { startCamera, type CameraScanner } from './camera.ts';
import { signal } from './feedback.ts';
import type { Answer, Conflict, Direction } from './types.ts';

function useEngine(engine: DoorEngine): EngineState {
  return useSyncExternalStore(
    useCallback((onChange) => engine.subscribe(onChange), [engine]),
    () => engine.state,
  );
}

/** Times and dates in the event's time zone, in the reader's language (formatters made once: making one costs more than using it). */
function useFormat(timeZone: string) {
  const { i18n } = useTranslation();
  return useMemo(() => {
    const time = new Intl.DateTimeFormat(i18n.language, { timeZone, hour: '2-digit', minute: '2-digit' });
    const dateTime = new Intl.DateTimeFormat(i18n.language, { timeZone, weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' });
    return {
      time: (iso: string | null) => (iso ? time.format(new Date(iso)) : ''),
      dateTime: (iso: string | null) => (iso ? dateTime.format(new Date(iso)) : ''),
    };
  }, [i18n.language, timeZone]);
}
type Format = ReturnType<typeof useFormat>;

/**
 * Scanning: the answer, big; the hand-scanner input that keeps the focus; the camera; counters, sync, conflicts.
 * Each scan changes the engine's state once (answer, counters): what it does not change (the input,
 * the camera, the conflicts, however many) is memoized and not rendered again.
 */
export function ScanScreen({ engine, onEnded }: { engine: DoorEngine; onEnded: () => void }) {
  const { t } = useTranslation('door');
  const state = useEngine(engine);
  const { briefing, session, counters } = state;
  const format = useFormat(briefing.event.timeZone);
  const [ending, setEnding] = useState<{ waiting: number } | null>(null);
  const scannerRef = useRef<HTMLInputElement>(null);
  const busy = useRef(Promise.resolve());

  useEffect(() => engine.run(), [engine]);

  // Scans are answered one after the other, in the order they were made (one that fails does not stop the next).
  const submitCode = useCallback(
    (code: string) => {
      if (!code.trim()) return;
      busy.current = busy.current.then(async () => {
        const result = await engine.scan(code);
        signal(result.admitted, engine.state.briefing.settings);
      }).catch(() => undefined);
    },
    [engine],
  );

  const end = useCallback(
    async (force = false) => {
      const result = await engine.end({ force });
      if (result.ended) onEnded();
      else setEnding({ waiting: result.waiting });
    },
    [engine, onEnded],
  );
  const cancelEnd = useCallback(() => setEnding(null), []);
  const askEnd = useCallback(() => setEnding({ waiting: engine.state.counters.waiting }), [engine]);

  return (
    <Stack component="main" id="main" gap="sm" p="sm" maw={760} mx="auto">
      <Group justify="space-between" wrap="wrap" gap="xs">
        <div>
          <Title order={1} size="h3">
            {briefing.event.title}
          </Title>
          <Text size="sm">
            {session.gate} · {briefing.event.organizationName}
          </Text>
        </div>
        <Group gap="xs">
          <Badge size="lg" color={state.online ? '#0b6b35' : '#495057'} variant="filled" data-testid="door-network">
            {state.syncing ? t('syncing') : state.online ? t('online') : t('offline')}
          </Badge>
        </Group>
      </Group>

      {state.credentialRefused && (
        <Alert color="red" role="alert">
          {t('credentialRefused')}
        </Alert>
      )}

      <AnswerPanel answer={state.answer} format={format} seq={state.answerSeq} />

      <ScannerInput inputRef={scannerRef} onCode={submitCode} />

      <CameraPanel onCode={submitCode} />

      <GateSettings engine={engine} briefing={briefing} direction={session.direction} dateId={session.dateId} format={format} />

      <Paper withBorder p="sm" component="section" aria-labelledby="door-counters">
        <Title order={2} size="h4" id="door-counters">
          {t('stats')}
        </Title>
        <SimpleGrid cols={{ base: 2, sm: 4 }} spacing="xs" mt="xs">
          <Counter label={t('gateCounts')} value={t('admissions', { count: counters.gate.admitted })} detail={`${t('scans', { count: counters.gate.scans })} · ${t('refusals', { count: counters.gate.refused })}`} testId="door-gate-counts" />
          <Counter
            label={t('eventCounts')}
            value={counters.event ? t('admittedOfTotal', { admitted: counters.event.admitted, total: counters.event.total }) : '—'}
            testId="door-event-counts"
          />
          <Counter label={t('waiting')} value={String(counters.waiting)} testId="door-waiting" />
          <Counter label={t('lastSync')} value={counters.lastSyncAt ? format.time(counters.lastSyncAt) : t('never')} testId="door-last-sync" />
        </SimpleGrid>
        <Button mt="sm" variant="outline" color="dark" onClick={() => void engine.sync()} loading={state.syncing} disabled={!state.online && !navigator.onLine}>
          {t('syncNow')}
        </Button>
      </Paper>

      <Conflicts conflicts={state.conflicts} format={format} />

      <History history={state.history} format={format} />

      <Footer onEnd={askEnd} />

      <EndDialog ending={ending} onCancel={cancelEnd} onEnd={end} />
    </Stack>
  );
}

/** Entry or exit (where the event allows re-entry), and the date this gate admits to (several dates). */
const GateSettings = memo(function GateSettings({ engine, briefing, direction, dateId, format }: { engine: DoorEngine; briefing: EngineState['briefing']; direction: Direction; dateId: number | null; format: Format }) {
  const { t } = useTranslation('door');
  const dates = briefing.dates.filter((d) => !briefing.dateIds || briefing.dateIds.includes(d.id));
  if (!briefing.event.reentryAllowed && dates.length <= 1) return null;
  return (
    <Group grow wrap="wrap" gap="xs">
      {briefing.event.reentryAllowed && (
        <SegmentedControl
          aria-label={t('mode')}
          value={direction}
          onChange={(value) => void engine.setDirection(value as Direction)}
          data={[
            { value: 'in', label: t('modeIn') },
            { value: 'out', label: t('modeOut') },
          ]}
          size="md"
        />
      )}
      {dates.length > 1 && (
        <NativeSelect
          label={t('date')}
          value={dateId === null ? '' : String(dateId)}
          onChange={(e) => void engine.setDate(e.currentTarget.value ? Number(e.currentTarget.value) : null)}
          data={[{ value: '', label: t('anyDate') }, ...dates.map((d) => ({ value: String(d.id), label: format.dateTime(d.startsAt) }))]}
        />
      )}
    </Group>
  );
});

/** Tickets two gates admitted while apart (the list can grow long: rendered only when it changes). */
const Conflicts = memo(function Conflicts({ conflicts, format }: { conflicts: Conflict[]; format: Format }) {
  const { t } = useTranslation('door');
  return (
    <Paper withBorder p="sm" component="section" aria-labelledby="door-conflicts-title" data-testid="door-conflicts">
      <Title order={2} size="h4" id="door-conflicts-title">
        {t('conflicts')} ({conflicts.length})
      </Title>
      {conflicts.length === 0 ? (
        <Text size="sm">{t('noConflicts')}</Text>
      ) : (
        <>
          <Text size="sm">{t('conflictsIntro')}</Text>
          <ul>
            {conflicts.map((c) => (
              <li key={c.id} data-testid="door-conflict">
                {t('conflictLine', {
                  holder: c.holderName ?? `#${c.ticketId}`,
                  winnerWhere: c.winner.where ?? t('anotherGate'),
                  winnerAt: format.time(c.winner.scannedAt),
                  loserWhere: c.loser.where ?? t('anotherGate'),
                  loserAt: format.time(c.loser.scannedAt),
                })}
              </li>
            ))}
          </ul>
        </>
      )}
    </Paper>
  );
});

/** The answers before the last one. */
function History({ history, format }: { history: Answer[]; format: Format }) {
  const { t } = useTranslation('door');
  if (history.length <= 1) return null;
  return (
    <Paper withBorder p="sm" component="section" aria-labelledby="door-history">
      <Title order={2} size="h4" id="door-history">
        {t('lastAnswers')}
      </Title>
      <ul>
        {history.slice(1).map((a) => (
          <li key={`${a.at} ${a.code}`}>
            {format.time(a.at)} — {a.admitted ? (a.direction === 'out' ? t('exited') : t('admitted')) : t('refusedBecause', { reason: t(`reason.${a.reason ?? 'unknown'}`) })}
            {a.holderName ? ` — ${a.holderName}` : ''}
          </li>
        ))}
      </ul>
    </Paper>
  );
}

const Footer = memo(function Footer({ onEnd }: { onEnd: () => void }) {
  const { t, i18n } = useTranslation('door');
  return (
    <Group justify="space-between" wrap="wrap">
      <NativeSelect
        label={t('language')}
        value={i18n.language}
        onChange={(e) => chooseLanguage(e.currentTarget.value as Language)}
        data={LANGUAGES.map((l) => ({ value: l.code, label: l.label }))}
      />
      <Button color="red.9" variant="outline" onClick={onEnd}>
        {t('end')}
      </Button>
    </Group>
  );
});

/**
 * Ending the session asks first (and says how many scans would be lost). A native modal <dialog>:
 * focus kept inside, Escape cancels, and none of a modal library's code on the gate's phone.
 */
const EndDialog = memo(function EndDialog({ ending, onCancel, onEnd }: { ending: { waiting: number } | null; onCancel: () => void; onEnd: (force: boolean) => Promise<void> }) {
  const { t } = useTranslation('door');
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = dialog.current;
    if (ending && !d?.open) d?.showModal();
    if (!ending && d?.open) d.close();
  }, [ending]);
  const waiting = ending !== null && ending.waiting > 0;
  return (
    <dialog ref={dialog} className="door-dialog" aria-labelledby="door-end-title" onClose={onCancel}>
      <Stack>
        <Title order={2} size="h3" id="door-end-title">
          {t('end')}
        </Title>
        <Text>{waiting ? t('endWaiting', { n: ending?.waiting }) : t('endConfirm')}</Text>
        <Group justify="flex-end">
          <Button variant="default" onClick={onCancel}>
            {t('cancel')}
          </Button>
          <Button color="red.9" onClick={() => void onEnd(waiting)}>
            {waiting ? t('endAnyway') : t('end')}
          </Button>
        </Group>
      </Stack>
    </dialog>
  );
});

function Counter({ label, value, detail, testId }: { label: string; value: string; detail?: string; testId: string }) {
  return (
    <div data-testid={testId} data-value={value}>
      <Text size="xs" fw={700} tt="uppercase">
        {label}
      </Text>
      <Text size="lg" fw={700}>
        {value}
      </Text>
      {detail && <Text size="xs">{detail}</Text>}
    </div>
  );
}

/** The answer, readable at arm's length: the whole panel green or red, the verdict in big letters. */
function AnswerPanel({ answer, format, seq }: { answer: Answer | null; format: Format; seq: number }) {
  const { t } = useTranslation('door');
  const verdict = answer ? (answer.admitted ? (answer.direction === 'out' ? t('exited') : t('admitted')) : t('refused')) : t('noAnswerYet');
  return (
    <div
      className={`door-answer ${answer ? (answer.admitted ? 'door-answer--ok' : 'door-answer--no') : ''}`}
      role="status"
      aria-live="assertive"
      aria-atomic="true"
      data-testid="door-answer"
      data-seq={seq}
      data-admitted={answer ? String(answer.admitted) : undefined}
      data-reason={answer?.reason ?? undefined}
      data-offline={answer ? String(answer.offline) : undefined}
    >
      <div className="door-answer__verdict">
        <span aria-hidden="true">{answer ? (answer.admitted ? '✓ ' : '✗ ') : ''}</span>
        {verdict}
      </div>
      {answer && !answer.admitted && answer.reason && <div className="door-answer__reason">{t(`reason.${answer.reason}`)}</div>}
      {answer?.admission && (
        <div className="door-answer__detail">{t('alreadyWhen', { when: format.time(answer.admission.at), where: answer.admission.where ?? t('anotherGate') })}</div>
      )}
      {answer && (answer.holderName || answer.sectionName) && (
        <div className="door-answer__detail">
          {answer.holderName && <strong>{answer.holderName}</strong>}
          {answer.sectionName && ` · ${answer.sectionName}`}
          {answer.tariffLabel && ` · ${answer.tariffLabel}`}
        </div>
      )}
      {answer?.offline && <div className="door-answer__note">{t('offlineAnswer')}</div>}
      {answer?.replayed && <div className="door-answer__note">{t('replayed')}</div>}
    </div>
  );
}

/**
 * Hand scanners type the code and press Enter: this input keeps the focus. When something else takes
 * it (a tap elsewhere), it comes back on its own unless another control is in use, in which case a
 * visible warning says the scanner is not listening.
 */
const ScannerInput = memo(function ScannerInput({ inputRef, onCode }: { inputRef: React.RefObject<HTMLInputElement | null>; onCode: (code: string) => void }) {
  const { t } = useTranslation('door');
  const [value, setValue] = useState('');
  const [focused, setFocused] = useState(true);

  useEffect(() => {
    inputRef.current?.focus();
    const refocus = () => {
      // Focus went nowhere (a tap on the background): take it back.
      if (document.activeElement === document.body || document.activeElement === null) inputRef.current?.focus();
    };
    const timer = setInterval(refocus, 500);
    return () => clearInterval(timer);
  }, [inputRef]);

  function submit(event: FormEvent) {
    event.preventDefault();
    onCode(value);
    setValue('');
    inputRef.current?.focus();
  }

  return (
    <form onSubmit={submit}>
      <TextInput
        ref={inputRef}
        label={t('scannerInput')}
        description={t('scannerHint')}
        value={value}
        onChange={(e) => setValue(e.currentTarget.value)}
        onFocus={() => setFocused(true)}
        onBlur={() => setFocused(false)}
        autoComplete="off"
        autoCapitalize="off"
        spellCheck={false}
        size="lg"
        name="door-code"
        data-testid="door-scanner-input"
        rightSectionWidth="auto"
        rightSectionPointerEvents="all"
        rightSection={
          <Button type="submit" size="md" color="blue.9" mr={4}>
            {t('check')}
          </Button>
        }
      />
      {/* The same height either way: a tap that moves the focus must not shift the controls below under the finger. */}
      <div className="door-scanner-status">
        {focused ? (
          <Text size="sm" c="#0b6b35" fw={600} data-testid="door-scanner-ready">
            {t('scannerReady')}
          </Text>
        ) : (
          <Button fullWidth h="auto" py={6} color="#8f3500" variant="filled" onClick={() => inputRef.current?.focus()} data-testid="door-focus-lost" styles={{ label: { whiteSpace: 'normal' } }}>
            {t('focusLost')}
          </Button>
        )}
      </div>
    </form>
  );
});

/** The camera (any phone or laptop): frames decoded by the QR worker; each code read is one scan. */
const CameraPanel = memo(function CameraPanel({ onCode }: { onCode: (code: string) => void }) {
  const { t } = useTranslation('door');
  const video = useRef<HTMLVideoElement>(null);
  const scanner = useRef<CameraScanner | null>(null);
  const [on, setOn] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const onCodeRef = useRef(onCode);
  onCodeRef.current = onCode;

  useEffect(() => () => scanner.current?.stop(), []);

  async function toggle() {
    if (scanner.current) {
      scanner.current.stop();
      scanner.current = null;
      setOn(false);
      return;
    }
    setError(null);
    try {
      scanner.current = await startCamera(video.current!, (code) => onCodeRef.current(code));
      setOn(true);
    } catch (e) {
      setError(t('cameraDenied', { reason: e instanceof Error ? e.message : String(e) }));
    }
  }

  return (
    <Paper withBorder p="sm" component="section" aria-label={t('camera')}>
      <Button onClick={() => void toggle()} variant={on ? 'outline' : 'filled'} color="blue.9" data-testid="door-camera-toggle">
        {on ? t('cameraStop') : t('cameraStart')}
      </Button>
      <video ref={video} className="door-video" hidden={!on} aria-label={t('camera')} muted playsInline data-testid="door-video" />
      {error && (
        <Alert color="red" mt="xs" role="alert">
          {error}
        </Alert>
      )}
    </Paper>
  );
});
