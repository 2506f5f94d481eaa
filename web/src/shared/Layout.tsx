import type { ReactNode } from 'react';
import { Anchor, Box, Container, Group, NativeSelect, Text } from '@mantine/core';
import { Link, NavLink } from 'react-router';
import { useTranslation } from 'react-i18next';
import { chooseLanguage, LANGUAGES, type Language } from './i18n.ts';
import { useSession } from './session.tsx';

/**
 * The frame of every page: a skip link, the header (events, account or sign-in, back office for
 * members, language), the main landmark and a footer. Areas put their pages inside it.
 */
export function Layout({ children, wide = false }: { children: ReactNode; wide?: boolean }) {
  const { t, i18n } = useTranslation();
  const session = useSession();
  const staff = session.memberships.length > 0;
  return (
    <>
      <a className="skip-link" href="#main">
        {t('skipToContent')}
      </a>
      <Box component="header" py="sm" style={{ borderBottom: '1px solid var(--mantine-color-gray-3)', background: 'var(--mantine-color-body)' }}>
        <Container size={wide ? 'xl' : 'lg'}>
          <Group justify="space-between" wrap="wrap" gap="sm">
            <Anchor component={Link} to="/" fw={800} fz="xl" c="indigo.8" underline="never">
              {t('brand')}
            </Anchor>
            <Group component="nav" aria-label={t('brand')} gap="md" wrap="wrap">
              <Anchor component={NavLink} to="/" end>
                {t('nav.events')}
              </Anchor>
              {session.account ? (
                <Anchor component={NavLink} to="/account">
                  {t('nav.account')}
                </Anchor>
              ) : (
                <Anchor component={NavLink} to="/account/sign-in">
                  {t('nav.signIn')}
                </Anchor>
              )}
              {staff && (
                <Anchor component={NavLink} to="/manage">
                  {t('nav.manage')}
                </Anchor>
              )}
              <NativeSelect
                aria-label={t('language')}
                size="xs"
                value={i18n.language}
                onChange={(e) => chooseLanguage(e.currentTarget.value as Language)}
                data={LANGUAGES.map((l) => ({ value: l.code, label: l.label }))}
              />
            </Group>
          </Group>
        </Container>
      </Box>
      <Container component="main" id="main" tabIndex={-1} size={wide ? 'xl' : 'lg'} py="lg" style={{ outline: 'none' }}>
        {children}
      </Container>
      <Box component="footer" py="md">
        <Container size={wide ? 'xl' : 'lg'}>
          <Text size="xs" c="gray.7">
            Guichet
          </Text>
        </Container>
      </Box>
    </>
  );
}
