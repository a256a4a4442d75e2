import { Badge, type BadgeProps } from '@mantine/core';
import type { ReactNode } from 'react';

/**
 * A light badge with dark text: Mantine's light variant writes its colour on a pale tint of the
 * same colour, which misses the WCAG AA contrast of 4.5:1 for green, orange and yellow even at
 * shade 9 (axe: color-contrast). The tint still tells the status at a glance.
 */
export function ToneBadge({
  color,
  size,
  ml,
  children,
}: {
  color: string;
  size?: BadgeProps['size'];
  ml?: BadgeProps['ml'];
  children: ReactNode;
}) {
  return (
    <Badge variant="light" color={color} c="dark.8" size={size} ml={ml} tt="none">
      {children}
    </Badge>
  );
}
