import { Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Layout } from '../shared/Layout.tsx';
import { usePageTitle } from '../shared/page.ts';

/** The door app (issue 20) lives under /door; this placeholder is replaced by its pages. */
export default function DoorArea() {
  const { t } = useTranslation();
  usePageTitle(t('nav.door'));
  return (
    <Layout>
      <Title order={1}>{t('nav.door')}</Title>
      <Text mt="md">{t('placeholder.door')}</Text>
    </Layout>
  );
}
