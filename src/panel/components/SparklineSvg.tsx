// A p95 sparkline as one SVG path: a light stand-in for @grafana/ui's uPlot-based Sparkline,
// which costs a canvas and a uPlot instance per tile (see docs/panel.md for the measurement).
import React from 'react';
import type { Sparkline } from '../summaryFrame';

interface Props {
  data: Sparkline;
  /** Draws the threshold as a dashed line when it falls inside the plotted range. */
  threshold: number | null;
  color: string;
  thresholdColor: string;
  width?: number;
  height?: number;
  className?: string;
}

export function sparklinePath(
  data: Sparkline,
  width: number,
  height: number,
  threshold: number | null
): { line: string; thresholdY: number | null } {
  const { timestamps, values } = data;
  let minT = Infinity;
  let maxT = -Infinity;
  let maxV = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v !== null) {
      minT = Math.min(minT, timestamps[i]);
      maxT = Math.max(maxT, timestamps[i]);
      maxV = Math.max(maxV, v);
    }
  }
  if (minT === Infinity) {
    return { line: '', thresholdY: null };
  }
  // Keep the threshold in view when the series is close to it, so "near" reads as near.
  const top = Math.max(maxV, threshold !== null && threshold <= maxV * 1.5 ? threshold : 0) * 1.1 || 1;
  const spanT = maxT - minT || 1;
  const x = (t: number) => ((t - minT) / spanT) * width;
  const y = (v: number) => height - (v / top) * height;
  let line = '';
  let pen = false;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === null) {
      pen = false;
      continue;
    }
    line += `${pen ? 'L' : 'M'}${x(timestamps[i]).toFixed(1)},${y(v).toFixed(1)}`;
    pen = true;
  }
  const thresholdY = threshold !== null && threshold <= top ? y(threshold) : null;
  return { line, thresholdY };
}

export function SparklineSvg({ data, threshold, color, thresholdColor, width = 100, height = 24, className }: Props) {
  const { line, thresholdY } = sparklinePath(data, width, height, threshold);
  if (!line) {
    return null;
  }
  return (
    <svg
      className={className}
      viewBox={`0 0 ${width} ${height}`}
      preserveAspectRatio="none"
      aria-hidden="true"
      focusable="false"
      data-testid="sparkline"
    >
      {thresholdY !== null && (
        <line
          x1={0}
          x2={width}
          y1={thresholdY}
          y2={thresholdY}
          stroke={thresholdColor}
          strokeDasharray="3 3"
          strokeWidth={1}
          vectorEffect="non-scaling-stroke"
        />
      )}
      <path d={line} fill="none" stroke={color} strokeWidth={1.5} vectorEffect="non-scaling-stroke" />
    </svg>
  );
}
