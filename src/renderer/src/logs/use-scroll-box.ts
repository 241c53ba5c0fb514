import { useCallback, useLayoutEffect, useRef, useState, type RefObject } from 'react';

/** The size and scroll position of a scrolling element, kept in React state. */
export interface ScrollBox {
  height: number;
  width: number;
  scrollTop: number;
}

/**
 * Follows an element's size (ResizeObserver) and scroll position (one update per animation
 * frame at most, however fast the wheel spins).
 */
export function useScrollBox(element: RefObject<HTMLElement | null>): ScrollBox {
  const [box, setBox] = useState<ScrollBox>({ height: 600, width: 900, scrollTop: 0 });
  const frame = useRef(0);

  useLayoutEffect(() => {
    const target = element.current;
    if (!target) return;
    const read = (): void =>
      setBox((previous) => {
        const next = {
          height: target.clientHeight,
          width: target.clientWidth,
          scrollTop: target.scrollTop,
        };
        return previous.height === next.height &&
          previous.width === next.width &&
          previous.scrollTop === next.scrollTop
          ? previous
          : next;
      });
    read();
    const observer = new ResizeObserver(read);
    observer.observe(target);
    const onScroll = (): void => {
      if (frame.current !== 0) return;
      frame.current = requestAnimationFrame(() => {
        frame.current = 0;
        read();
      });
    };
    target.addEventListener('scroll', onScroll, { passive: true });
    return () => {
      observer.disconnect();
      target.removeEventListener('scroll', onScroll);
      cancelAnimationFrame(frame.current);
      frame.current = 0;
    };
  }, [element]);

  return box;
}

/**
 * The width of one character of the log's monospace font, measured by a probe element; returns
 * the width and the ref callback for the probe.
 */
export function useCharacterWidth(): [number, (element: HTMLElement | null) => void] {
  const [width, setWidth] = useState(7.8);
  const measure = useCallback((element: HTMLElement | null) => {
    if (!element) return;
    const characters = Math.max(1, element.textContent?.length ?? 1);
    const measured = element.getBoundingClientRect().width / characters;
    if (measured > 0) setWidth(measured);
  }, []);
  return [width, measure];
}
