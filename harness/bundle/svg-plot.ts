// A small SVG plot: a frame with scaled axes, and the marks a memory chart is made of. Every text is XML-escaped.
import { escapeXml } from '../common/xml-escape.js';

const WIDTH = 960;
const HEIGHT = 480;
const MARGIN = { left: 70, right: 170, top: 50, bottom: 50 };
const MAX_DOTS = 300;

/** Round axis steps: 1, 2 or 5 times a power of ten, about `count` of them. */
export function niceStep(max: number, count = 5): number {
  if (!Number.isFinite(max) || max <= 0) return 1;
  const raw = max / count;
  const power = 10 ** Math.floor(Math.log10(raw || 1));
  const factor = [1, 2, 5, 10].find((f) => f * power >= raw) ?? 10;
  return factor * power;
}

const f = (n: number) => n.toFixed(1);

export type LegendStyle = 'solid' | 'dashed' | 'tick' | 'dot' | 'cross';

export interface PlotScale {
  /** A logarithmic x axis from this value (for caps tried in geometric steps), ticked at powers of two. */
  logXFrom?: number;
}

/** Powers of two from `min` to `max`, every other one when there are too many to read. */
function powerTicks(min: number, max: number): number[] {
  const ticks: number[] = [];
  for (let v = 2 ** Math.ceil(Math.log2(min)); v <= max * (1 + 1e-9); v *= 2) ticks.push(v);
  return ticks.length > 10 ? ticks.filter((_, i) => i % 2 === 0) : ticks;
}

export class SvgPlot {
  readonly #parts: string[] = [];
  readonly #legend: Array<{ color: string; style: LegendStyle; label: string }> = [];
  readonly #plotW = WIDTH - MARGIN.left - MARGIN.right;
  readonly #plotH = HEIGHT - MARGIN.top - MARGIN.bottom;
  readonly #maxX: number;
  readonly #maxY: number;
  readonly #logXFrom: number | null;

  constructor(title: string, subtitle: string, maxX: number, maxY: number, scale: PlotScale = {}) {
    // Figures come from files the container wrote: a scale is always finite and positive.
    this.#maxX = Number.isFinite(maxX) && maxX > 0 ? maxX : 1;
    this.#maxY = Number.isFinite(maxY) && maxY > 0 ? maxY : 1;
    const from = scale.logXFrom;
    this.#logXFrom = from !== undefined && Number.isFinite(from) && from > 0 && from < this.#maxX ? from : null;
    this.#parts.push(
      `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="sans-serif" font-size="12">`,
      `<rect width="${WIDTH}" height="${HEIGHT}" fill="#ffffff"/>`,
      `<text x="${MARGIN.left}" y="22" font-size="15" font-weight="bold">${escapeXml(title)}</text>`,
      `<text x="${MARGIN.left}" y="40" fill="#444">${escapeXml(subtitle)}</text>`,
    );
  }

  x(value: number): number {
    if (this.#logXFrom === null) return MARGIN.left + (value / this.#maxX) * this.#plotW;
    const from = this.#logXFrom;
    return MARGIN.left + (Math.log(Math.max(value, from) / from) / Math.log(this.#maxX / from)) * this.#plotW;
  }

  y(value: number): number {
    return MARGIN.top + this.#plotH - (value / this.#maxY) * this.#plotH;
  }

  axes(xLabel: string, yLabel: string): void {
    const bottom = MARGIN.top + this.#plotH;
    for (let v = 0; v <= this.#maxY; v += niceStep(this.#maxY)) {
      this.#parts.push(
        `<line x1="${MARGIN.left}" x2="${MARGIN.left + this.#plotW}" y1="${f(this.y(v))}" y2="${f(this.y(v))}" stroke="#e5e5e5"/>`,
        `<text x="${MARGIN.left - 8}" y="${f(this.y(v) + 4)}" text-anchor="end">${v}</text>`,
      );
    }
    const xStep = niceStep(this.#maxX, 8);
    const xTicks = this.#logXFrom !== null ? powerTicks(this.#logXFrom, this.#maxX) : Array.from({ length: Math.floor(this.#maxX / xStep + 1e-9) + 1 }, (_, i) => i * xStep);
    for (const v of xTicks) {
      this.#parts.push(
        `<line x1="${f(this.x(v))}" x2="${f(this.x(v))}" y1="${bottom}" y2="${bottom + 5}" stroke="#888"/>`,
        `<text x="${f(this.x(v))}" y="${bottom + 18}" text-anchor="middle">${Number(v.toFixed(3))}</text>`,
      );
    }
    this.#parts.push(
      `<rect x="${MARGIN.left}" y="${MARGIN.top}" width="${this.#plotW}" height="${this.#plotH}" fill="none" stroke="#888"/>`,
      `<text x="${MARGIN.left + this.#plotW / 2}" y="${HEIGHT - 10}" text-anchor="middle">${escapeXml(xLabel)}</text>`,
      `<text transform="translate(18 ${MARGIN.top + this.#plotH / 2}) rotate(-90)" text-anchor="middle">${escapeXml(yLabel)}</text>`,
    );
  }

  /** A horizontal line across the plot at `value`, labelled at its right end. */
  level(name: string, value: number, color: string, label: string, legend: string): void {
    this.#parts.push(
      `<line class="${name}" x1="${MARGIN.left}" x2="${MARGIN.left + this.#plotW}" y1="${f(this.y(value))}" y2="${f(this.y(value))}" stroke="${color}" stroke-width="2" stroke-dasharray="8 5"/>`,
      `<text x="${MARGIN.left + this.#plotW - 6}" y="${f(this.y(value) - 6)}" text-anchor="end" fill="${color}">${escapeXml(label)}</text>`,
    );
    this.#legend.push({ color, style: 'dashed', label: legend });
  }

  /** A line through the points; with few of them, dots show where the sampler really looked (a guide line: dashed, no dots). */
  series(name: string, points: ReadonlyArray<readonly [number, number]>, color: string, legend: string, guide = false): void {
    if (points.length === 0) return;
    const path = points.map(([px, py]) => `${f(this.x(px))},${f(this.y(py))}`).join(' ');
    const dash = guide ? ' stroke-dasharray="8 5"' : '';
    this.#parts.push(`<polyline class="${name}" points="${path}" fill="none" stroke="${color}" stroke-width="2" stroke-linejoin="round"${dash}/>`);
    if (!guide && points.length <= MAX_DOTS) for (const [px, py] of points) this.#parts.push(`<circle cx="${f(this.x(px))}" cy="${f(this.y(py))}" r="2.5" fill="${color}"/>`);
    this.#legend.push({ color, style: guide ? 'dashed' : 'solid', label: legend });
  }

  /** Marks at points, unjoined: dots, or crosses for what failed. */
  marks(name: string, points: ReadonlyArray<readonly [number, number]>, color: string, legend: string, shape: 'dot' | 'cross'): void {
    if (points.length === 0) return;
    for (const [px, py] of points.slice(0, MAX_DOTS)) {
      const [cx, cy] = [this.x(px), this.y(py)];
      this.#parts.push(
        shape === 'dot'
          ? `<circle class="${name}" cx="${f(cx)}" cy="${f(cy)}" r="5" fill="${color}"/>`
          : `<path class="${name}" d="M${f(cx - 5)},${f(cy - 5)}L${f(cx + 5)},${f(cy + 5)}M${f(cx - 5)},${f(cy + 5)}L${f(cx + 5)},${f(cy - 5)}" stroke="${color}" stroke-width="2.5"/>`,
      );
    }
    this.#legend.push({ color, style: shape, label: legend });
  }

  /** Short ticks on the x axis at each value. */
  ticks(name: string, values: readonly number[], color: string, legend: string): void {
    if (values.length === 0) return;
    const bottom = MARGIN.top + this.#plotH;
    for (const v of values) this.#parts.push(`<line class="${name}" x1="${f(this.x(v))}" x2="${f(this.x(v))}" y1="${bottom - 8}" y2="${bottom}" stroke="${color}"/>`);
    this.#legend.push({ color, style: 'tick', label: legend });
  }

  /** Full-height lines at moments that matter, each with its label. */
  events(name: string, events: ReadonlyArray<{ at: number; label: string }>, color: string, legend: string): void {
    if (events.length === 0) return;
    for (const event of events) {
      const ex = f(this.x(event.at));
      this.#parts.push(
        `<line class="${name}" x1="${ex}" x2="${ex}" y1="${MARGIN.top}" y2="${MARGIN.top + this.#plotH}" stroke="${color}" stroke-width="2"/>`,
        `<text x="${f(this.x(event.at) - 4)}" y="${MARGIN.top + 14}" text-anchor="end" fill="${color}" font-weight="bold">${escapeXml(event.label)}</text>`,
      );
    }
    this.#legend.push({ color, style: 'solid', label: legend });
  }

  /** The SVG, with a legend of what was drawn and nothing else. */
  render(): string {
    const legendX = MARGIN.left + this.#plotW + 12;
    const legend = this.#legend.flatMap(({ color, style, label }, i) => {
      const ly = MARGIN.top + 40 + i * 20;
      const dash = style === 'dashed' ? ' stroke-dasharray="5 3"' : '';
      const key =
        style === 'dot'
          ? `<circle cx="${legendX + 9}" cy="${ly}" r="5" fill="${color}"/>`
          : style === 'cross'
            ? `<path d="M${legendX + 4},${ly - 5}L${legendX + 14},${ly + 5}M${legendX + 4},${ly + 5}L${legendX + 14},${ly - 5}" stroke="${color}" stroke-width="2.5"/>`
            : `<line x1="${legendX}" x2="${legendX + 18}" y1="${ly}" y2="${ly}" stroke="${color}" stroke-width="2"${dash}/>`;
      return [key, `<text x="${legendX + 24}" y="${ly + 4}">${escapeXml(label)}</text>`];
    });
    return `${[...this.#parts, ...legend, '</svg>'].join('\n')}\n`;
  }
}
