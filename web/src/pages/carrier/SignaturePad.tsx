import { useRef, useState, type PointerEvent } from 'react';
import { useT } from '../../i18n';

/**
 * A signature drawn with a finger (or a mouse) on a canvas, handed over as a PNG. Pointer events
 * cover touch and mouse alike; `touch-action: none` keeps the page from scrolling while signing.
 */
export function SignaturePad({ onSave, disabled }: { onSave: (png: Blob) => void; disabled?: boolean }) {
  const t = useT();
  const canvas = useRef<HTMLCanvasElement>(null);
  const last = useRef<{ x: number; y: number } | null>(null);
  const [drawn, setDrawn] = useState(false);

  const point = (event: PointerEvent<HTMLCanvasElement>) => {
    const box = event.currentTarget.getBoundingClientRect();
    const scale = event.currentTarget.width / box.width;
    return { x: (event.clientX - box.left) * scale, y: (event.clientY - box.top) * scale };
  };
  const start = (event: PointerEvent<HTMLCanvasElement>) => {
    event.currentTarget.setPointerCapture(event.pointerId);
    last.current = point(event);
  };
  const move = (event: PointerEvent<HTMLCanvasElement>) => {
    const context = canvas.current?.getContext('2d');
    if (!last.current || !context) return;
    const next = point(event);
    context.lineWidth = 4;
    context.lineCap = 'round';
    context.strokeStyle = '#111';
    context.beginPath();
    context.moveTo(last.current.x, last.current.y);
    context.lineTo(next.x, next.y);
    context.stroke();
    last.current = next;
    setDrawn(true);
  };
  const end = () => {
    last.current = null;
  };
  const clear = () => {
    const c = canvas.current;
    c?.getContext('2d')?.clearRect(0, 0, c.width, c.height);
    setDrawn(false);
  };
  const save = () =>
    canvas.current?.toBlob((png) => {
      if (!png) return;
      onSave(png);
      clear();
    }, 'image/png');

  return (
    <div className="signature">
      <canvas
        ref={canvas}
        width={600}
        height={240}
        className="signature-pad"
        aria-label={t('carrier.signatureArea')}
        role="img"
        onPointerDown={start}
        onPointerMove={move}
        onPointerUp={end}
        onPointerCancel={end}
      />
      <div className="actions-row">
        <button type="button" className="secondary" onClick={clear} disabled={!drawn || disabled}>
          {t('carrier.signatureClear')}
        </button>
        <button type="button" onClick={save} disabled={!drawn || disabled}>
          {t('carrier.signatureSave')}
        </button>
      </div>
    </div>
  );
}
