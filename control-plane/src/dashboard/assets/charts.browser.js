/*
 * The overview's charts: uPlot (window.uPlot, loaded before this script) draws each
 * `[data-chart]` box from the report the page embeds as JSON (#overview-data), with every
 * deployment of the range marked as a dashed vertical line labelled with its id. Charts
 * follow their box's width. A drawn box gets `data-drawn`.
 */
(() => {
  const source = document.getElementById('overview-data');
  if (!source || !window.uPlot) return;
  const data = JSON.parse(source.textContent);
  const HEIGHT = 220;

  const CHARTS = {
    requests: [
      { label: 'Requests', key: 'requests', stroke: '#2457c5', fill: 'rgba(36, 87, 197, 0.08)' },
      { label: '5xx', key: 'errors', stroke: '#b3261e' },
    ],
    // Steps without requests have no latency: points show the steps that do.
    latency: [
      { label: 'p50 ms', key: 'p50', stroke: '#1b7f4b', points: true },
      { label: 'p95 ms', key: 'p95', stroke: '#a45d00', points: true },
      { label: 'p99 ms', key: 'p99', stroke: '#b3261e', points: true },
    ],
    refusals: [
      { label: 'Rate-limited', key: 'rateLimited', stroke: '#a45d00' },
      { label: 'Auth-rejected', key: 'authRejected', stroke: '#7a3fb0' },
    ],
  };

  /**
   * A uPlot plugin drawing the deployments over the plot area, each labelled with its
   * commit: on the line's right, or its left near the right edge, a row lower than the
   * label before so close deployments stay readable.
   */
  function deploymentMarkers(deployments) {
    return {
      hooks: {
        draw: [
          (chart) => {
            const { ctx } = chart;
            const { left, top, width, height } = chart.bbox;
            const scale = window.devicePixelRatio || 1;
            ctx.save();
            ctx.strokeStyle = '#16202e';
            ctx.fillStyle = '#16202e';
            ctx.lineWidth = scale;
            ctx.setLineDash([4 * scale, 4 * scale]);
            ctx.font = `${11 * scale}px system-ui, sans-serif`;
            ctx.textBaseline = 'top';
            for (const [index, deployment] of deployments.entries()) {
              const x = Math.round(chart.valToPos(deployment.time, 'x', true));
              if (x < left || x > left + width) continue;
              ctx.beginPath();
              ctx.moveTo(x, top);
              ctx.lineTo(x, top + height);
              ctx.stroke();
              const onLeft = x > left + width * 0.75;
              ctx.textAlign = onLeft ? 'right' : 'left';
              const row = (index % 4) * 13 * scale;
              ctx.fillText(deployment.label, x + (onLeft ? -4 : 4) * scale, top + 2 * scale + row);
            }
            ctx.restore();
          },
        ],
      },
    };
  }

  function draw(box) {
    const series = CHARTS[box.dataset.chart];
    if (!series) return;
    const options = {
      width: box.clientWidth,
      height: HEIGHT,
      // The whole window, through the end of the last step, where this minute's deployments are.
      scales: { x: { time: true, range: () => [data.time[0], data.time.at(-1) + data.stepSeconds] } },
      axes: [{}, { size: 56 }],
      series: [
        {},
        ...series.map((line) => ({
          label: line.label,
          stroke: line.stroke,
          fill: line.fill,
          width: 1.5,
          points: { show: Boolean(line.points), size: 5 },
        })),
      ],
      plugins: [deploymentMarkers(data.deployments)],
    };
    const chart = new window.uPlot(options, [data.time, ...series.map((line) => data[line.key])], box);
    new ResizeObserver(() => chart.setSize({ width: box.clientWidth, height: HEIGHT })).observe(box);
    box.dataset.drawn = '';
  }

  for (const box of document.querySelectorAll('[data-chart]')) draw(box);
})();
