import { useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';

/** A seat as GET /api/events/{id}/dates/{date_id}/seats gives it (the fields drawn here). */
export interface MapSeat {
  id: number;
  section_id: number;
  area: string;
  row: string;
  number: string;
  category: string;
  x: number;
  y: number;
  flags: string[];
  state: string;
}

/** The parts of a guichet.seatmap/1 document drawn around the seats (the seats come with their state). */
export interface MapDrawing {
  width: number;
  height: number;
  categories: { key: string; name: string; color?: string }[];
  areas: ({ kind: 'seated'; name: string } | { kind: 'standing'; name: string; shape?: { x: number; y: number; width: number; height: number } })[];
  stage?: { x: number; y: number; width: number; height: number; label?: string };
  labels?: { text: string; x: number; y: number }[];
}

/** What the buyer sees of a seat: its map state, or chosen by them. */
export type SeatLook = 'free' | 'taken' | 'unavailable' | 'chosen';

const PALETTE = ['#1c7ed6', '#e8590c', '#2f9e44', '#ae3ec9', '#f08c00', '#0c8599', '#c2255c'];
/** Each price category also has a shape (never colour alone): circle, square, diamond, triangle, hexagon. */
const SHAPES = ['circle', 'square', 'diamond', 'triangle', 'hexagon'] as const;
export type CategoryShape = (typeof SHAPES)[number];

export function categoryStyles(drawing: MapDrawing) {
  return new Map(drawing.categories.map((c, i) => [c.key, { name: c.name, color: c.color ?? PALETTE[i % PALETTE.length], shape: SHAPES[i % SHAPES.length] }]));
}

/** A category's shape of radius r around (0, 0). */
export function Shape({ shape, r, ...paint }: { shape: CategoryShape; r: number; fill: string; stroke: string; strokeWidth: number; strokeDasharray?: string }) {
  switch (shape) {
    case 'circle':
      return <circle r={r} {...paint} />;
    case 'square':
      return <rect x={-r * 0.88} y={-r * 0.88} width={r * 1.76} height={r * 1.76} {...paint} />;
    case 'diamond':
      return <polygon points={`0,${-r} ${r},0 0,${r} ${-r},0`} {...paint} />;
    case 'triangle':
      return <polygon points={`0,${-r} ${r * 0.95},${r * 0.8} ${-r * 0.95},${r * 0.8}`} {...paint} />;
    default:
      return <polygon points={Array.from({ length: 6 }, (_, i) => `${r * Math.cos((Math.PI / 3) * i)},${r * Math.sin((Math.PI / 3) * i)}`).join(' ')} {...paint} />;
  }
}

/** The mark a state draws on a seat: a tick (chosen), a cross (taken), a dash (not for sale). */
export function StateMark({ look, r }: { look: SeatLook; r: number }) {
  const w = r * 0.28;
  if (look === 'chosen') return <path d={`M${-r * 0.45},0 L${-r * 0.1},${r * 0.38} L${r * 0.5},${-r * 0.4}`} fill="none" stroke="#fff" strokeWidth={w} strokeLinecap="round" />;
  if (look === 'taken') return <path d={`M${-r * 0.42},${-r * 0.42} L${r * 0.42},${r * 0.42} M${r * 0.42},${-r * 0.42} L${-r * 0.42},${r * 0.42}`} stroke="#212529" strokeWidth={w} strokeLinecap="round" />;
  if (look === 'unavailable') return <path d={`M${-r * 0.45},0 L${r * 0.45},0`} stroke="#495057" strokeWidth={w} strokeLinecap="round" />;
  return null;
}

export function paintOf(look: SeatLook, color: string, r: number) {
  if (look === 'chosen') return { fill: '#212529', stroke: '#212529', strokeWidth: r * 0.2 };
  if (look === 'taken') return { fill: '#ced4da', stroke: '#868e96', strokeWidth: r * 0.12 };
  if (look === 'unavailable') return { fill: '#ffffff', stroke: '#868e96', strokeWidth: r * 0.12, strokeDasharray: `${r * 0.3} ${r * 0.2}` };
  return { fill: color, stroke: '#343a40', strokeWidth: r * 0.12 };
}

/** The distance between neighbouring seats of a row (the drawing's unit). */
function seatSpacing(seats: MapSeat[]): number {
  const rows = new Map<string, number[]>();
  for (const s of seats) rows.set(`${s.area}\u0000${s.row}`, [...(rows.get(`${s.area}\u0000${s.row}`) ?? []), s.x]);
  let best = Infinity;
  for (const xs of rows.values()) {
    xs.sort((a, b) => a - b);
    for (let i = 1; i < xs.length; i++) if (xs[i] - xs[i - 1] > 0) best = Math.min(best, xs[i] - xs[i - 1]);
  }
  return Number.isFinite(best) ? best : 20;
}

/**
 * The seat the arrow key leads to: left and right along the row, Home and End to its ends, up and
 * down to the nearest seat of the nearest row above or below.
 */
export function neighbour(seats: MapSeat[], from: MapSeat, key: string, unit: number): MapSeat | undefined {
  const row = seats.filter((s) => s.area === from.area && s.row === from.row).sort((a, b) => a.x - b.x);
  const at = row.findIndex((s) => s.id === from.id);
  if (key === 'ArrowLeft') return row[at - 1];
  if (key === 'ArrowRight') return row[at + 1];
  if (key === 'Home') return row[0];
  if (key === 'End') return row[row.length - 1];
  if (key !== 'ArrowUp' && key !== 'ArrowDown') return undefined;
  const up = key === 'ArrowUp';
  const ahead = seats.filter((s) => (up ? s.y < from.y - unit / 2 : s.y > from.y + unit / 2));
  if (ahead.length === 0) return undefined;
  const nearest = Math.min(...ahead.map((s) => Math.abs(s.y - from.y)));
  const band = ahead.filter((s) => Math.abs(s.y - from.y) - nearest < unit / 2);
  return band.reduce((a, b) => (Math.abs(b.x - from.x) < Math.abs(a.x - from.x) ? b : a));
}

export interface SeatMapProps {
  seats: MapSeat[];
  drawing: MapDrawing;
  /** How each seat looks now (its state, or chosen). */
  lookOf: (seat: MapSeat) => SeatLook;
  /** What a screen reader says of a seat. */
  labelOf: (seat: MapSeat, look: SeatLook) => string;
  onToggle: (seat: MapSeat) => void;
  label: string;
  zoom: number;
  /** Whether a seat is offered as disabled (default: when taken or not for sale; the back office's holds page selects those it may release). */
  disabledOf?: (seat: MapSeat, look: SeatLook) => boolean;
}

/**
 * The SVG seat map: seats drawn where the map puts them, with their category's colour and shape and
 * their state's mark. One seat at a time is in the tab order (a roving tabindex); the arrow keys move
 * between seats, Enter or Space takes or gives back the seat. Each seat is a toggle button with a name.
 */
export function SeatMap({ seats, drawing, lookOf, labelOf, onToggle, label, zoom, disabledOf }: SeatMapProps) {
  const { t } = useTranslation('seatmap');
  const styles = useMemo(() => categoryStyles(drawing), [drawing]);
  const unit = useMemo(() => seatSpacing(seats), [seats]);
  const r = unit * 0.42;
  const [focusId, setFocusId] = useState<number | null>(null);
  const elements = useRef(new Map<number, SVGGElement>());
  const current = seats.find((s) => s.id === focusId) ?? seats.find((s) => s.state === 'free') ?? seats[0];
  const rowEnds = useMemo(() => {
    const ends = new Map<string, { row: string; minX: number; maxX: number; y: number }>();
    for (const s of seats) {
      const key = `${s.area}\u0000${s.row}`;
      const e = ends.get(key);
      ends.set(key, e ? { ...e, minX: Math.min(e.minX, s.x), maxX: Math.max(e.maxX, s.x) } : { row: s.row, minX: s.x, maxX: s.x, y: s.y });
    }
    return [...ends.values()];
  }, [seats]);

  const onKeyDown = (event: KeyboardEvent, seat: MapSeat) => {
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      onToggle(seat);
      return;
    }
    const next = neighbour(seats, seat, event.key, unit);
    if (['ArrowLeft', 'ArrowRight', 'ArrowUp', 'ArrowDown', 'Home', 'End'].includes(event.key)) event.preventDefault();
    if (!next) return;
    setFocusId(next.id);
    elements.current.get(next.id)?.focus();
  };

  const fontSize = unit * 0.55;
  return (
    <svg
      viewBox={`${-unit} ${-unit} ${drawing.width + 2 * unit} ${drawing.height + 2 * unit}`}
      role="group"
      aria-label={label}
      // Fitted, the whole map shows at once; zoomed in, it grows and its frame scrolls (pan by scrolling or swiping).
      style={{ width: `${zoom * 100}%`, height: 'auto', maxHeight: zoom === 1 ? '60vh' : undefined, display: 'block', touchAction: 'manipulation' }}
    >
      <style>{'.guichet-seat { cursor: pointer; outline: none; } .guichet-seat .ring { visibility: hidden; } .guichet-seat:focus .ring { visibility: visible; }'}</style>
      {drawing.stage && (
        <g aria-hidden="true">
          <rect x={drawing.stage.x} y={drawing.stage.y} width={drawing.stage.width} height={drawing.stage.height} fill="#e9ecef" stroke="#495057" rx={unit * 0.3} />
          <text x={drawing.stage.x + drawing.stage.width / 2} y={drawing.stage.y + drawing.stage.height / 2} dominantBaseline="middle" textAnchor="middle" fontSize={fontSize * 1.4} fill="#212529">
            {drawing.stage.label ?? t('stage')}
          </text>
        </g>
      )}
      {drawing.areas.map((area) =>
        area.kind === 'standing' && area.shape ? (
          <g key={area.name} aria-hidden="true">
            <rect x={area.shape.x} y={area.shape.y} width={area.shape.width} height={area.shape.height} fill="#f1f3f5" stroke="#868e96" strokeDasharray="6 4" />
            <text x={area.shape.x + area.shape.width / 2} y={area.shape.y + area.shape.height / 2} dominantBaseline="middle" textAnchor="middle" fontSize={fontSize} fill="#212529">
              {`${area.name} (${t('standing')})`}
            </text>
          </g>
        ) : null,
      )}
      {(drawing.labels ?? []).map((l, i) => (
        <text key={i} x={l.x} y={l.y} fontSize={fontSize} fill="#212529" textAnchor="middle" aria-hidden="true">{l.text}</text>
      ))}
      <g aria-hidden="true" fontSize={fontSize} fill="#495057">
        {rowEnds.map((e, i) => (
          <g key={i}>
            <text x={e.minX - unit * 0.8} y={e.y} dominantBaseline="middle" textAnchor="end">{e.row}</text>
            <text x={e.maxX + unit * 0.8} y={e.y} dominantBaseline="middle" textAnchor="start">{e.row}</text>
          </g>
        ))}
      </g>
      {seats.map((seat) => {
        const look = lookOf(seat);
        const style = styles.get(seat.category) ?? { color: PALETTE[0], shape: 'circle' as const };
        return (
          <g
            key={seat.id}
            ref={(el) => {
              if (el) elements.current.set(seat.id, el);
              else elements.current.delete(seat.id);
            }}
            className="guichet-seat"
            transform={`translate(${seat.x} ${seat.y})`}
            role="button"
            tabIndex={seat.id === current?.id ? 0 : -1}
            aria-pressed={look === 'chosen'}
            aria-disabled={(disabledOf ? disabledOf(seat, look) : look === 'taken' || look === 'unavailable') ? true : undefined}
            aria-label={labelOf(seat, look)}
            data-seat={`${seat.row}-${seat.number}`}
            onFocus={() => setFocusId(seat.id)}
            onClick={() => {
              setFocusId(seat.id);
              onToggle(seat);
            }}
            onKeyDown={(e) => onKeyDown(e, seat)}
          >
            <circle className="ring" r={r * 1.45} fill="none" stroke="#1971c2" strokeWidth={r * 0.3} />
            <Shape shape={style.shape} r={r} {...paintOf(look, style.color, r)} />
            <StateMark look={look} r={r} />
            {seat.flags.includes('wheelchair') && look !== 'chosen' && (
              <text y={r * 0.35} textAnchor="middle" fontSize={r} fill="#fff" fontWeight={700}>♿</text>
            )}
          </g>
        );
      })}
    </svg>
  );
}

/** A legend's mark: a category's shape (free), or a state's mark (chosen, taken, not for sale). */
export function LegendMark({ look, shape, color }: { look: SeatLook; shape: CategoryShape; color: string }) {
  const r = 8;
  return (
    <svg width={20} height={20} viewBox="-10 -10 20 20" aria-hidden="true">
      <Shape shape={shape} r={r} {...paintOf(look, color, r)} />
      <StateMark look={look} r={r} />
    </svg>
  );
}
