// A bar chart (ECharts) with its numbers also in a table: the canvas is one image with a text
// summary for screen readers, and the table gives everyone the exact values.
import { useEffect, useRef } from 'react';
import { BarChart as EBar } from 'echarts/charts';
import { AriaComponent, GridComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { usePreferences } from '../../elder/preferences';

echarts.use([EBar, GridComponent, TooltipComponent, AriaComponent, CanvasRenderer]);

export interface Bar {
  label: string;
  value: number;
}

export function BarChart({ title, bars, valueLabel }: { title: string; bars: Bar[]; valueLabel: string }) {
  const ref = useRef<HTMLDivElement>(null);
  const { elderMode } = usePreferences();
  useEffect(() => {
    if (!ref.current) return;
    const chart = echarts.init(ref.current);
    const fontSize = elderMode ? 18 : 14;
    chart.setOption({
      aria: { enabled: false }, // the wrapper carries the summary; the table the detail
      color: ['#0958d9'],
      grid: { left: 8, right: 16, top: 16, bottom: 8, containLabel: true },
      tooltip: { trigger: 'axis', textStyle: { fontSize } },
      xAxis: { type: 'category', data: bars.map((b) => b.label), axisLabel: { fontSize, color: '#1f1f1f', interval: 0, rotate: bars.length > 3 ? 30 : 0 } },
      yAxis: { type: 'value', minInterval: 1, axisLabel: { fontSize, color: '#1f1f1f' } },
      series: [{ type: 'bar', data: bars.map((b) => b.value), label: { show: true, position: 'top', fontSize, color: '#000' } }],
    });
    const resize = () => chart.resize();
    window.addEventListener('resize', resize);
    return () => {
      window.removeEventListener('resize', resize);
      chart.dispose();
    };
  }, [bars, elderMode]);

  const summary = `${title}: ${bars.map((b) => `${b.label} ${b.value}`).join('，')}`;
  return (
    <figure className="console-panel">
      <figcaption><h3>{title}</h3></figcaption>
      <div ref={ref} className="chart-box" role="img" aria-label={summary} />
      <table className="data-table">
        <caption className="visually-hidden">{title}</caption>
        <thead>
          <tr>
            <th scope="col">{title}</th>
            <th scope="col">{valueLabel}</th>
          </tr>
        </thead>
        <tbody>
          {bars.map((b) => (
            <tr key={b.label}>
              <td>{b.label}</td>
              <td>{b.value}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
