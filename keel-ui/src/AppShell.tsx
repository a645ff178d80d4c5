import {
  Button,
  Masthead,
  MastheadBrand,
  MastheadContent,
  MastheadLogo,
  MastheadMain,
  MastheadToggle,
  Nav,
  NavExpandable,
  NavItem,
  NavList,
  Page,
  PageSidebar,
  PageSidebarBody,
  PageToggleButton,
  Toolbar,
  ToolbarContent,
  ToolbarGroup,
  ToolbarItem,
} from '@patternfly/react-core';
import { BarsIcon } from '@patternfly/react-icons';
import { Outlet, useLocation } from 'react-router';
import { useAuth } from './auth';

interface NavLinkSpec {
  path: string;
  label: string;
}

interface NavGroupSpec {
  title: string;
  links: NavLinkSpec[];
}

const NAV: (NavGroupSpec | NavLinkSpec)[] = [
  {
    title: 'Infrastructure',
    links: [
      { path: '/nodes', label: 'Nodes' },
      { path: '/locations', label: 'Locations' },
    ],
  },
  {
    title: 'Storage',
    links: [
      { path: '/policies', label: 'Policies' },
      { path: '/volumes', label: 'Volumes' },
    ],
  },
  { path: '/iscsi', label: 'Block storage' },
  { path: '/s3', label: 'S3' },
  {
    title: 'Compute',
    links: [
      { path: '/vms', label: 'VMs' },
      { path: '/images', label: 'Images' },
      { path: '/flavors', label: 'Flavors' },
    ],
  },
  { title: 'Monitoring', links: [{ path: '/dashboard', label: 'Dashboard' }] },
  { path: '/events', label: 'Events' },
];

function isActive(current: string, path: string): boolean {
  return current === path || current.startsWith(`${path}/`);
}

function Sidebar() {
  const { pathname } = useLocation();
  const link = ({ path, label }: NavLinkSpec) => (
    <NavItem key={path} itemId={path} to={`#${path}`} isActive={isActive(pathname, path)}>
      {label}
    </NavItem>
  );
  return (
    <PageSidebar>
      <PageSidebarBody>
        <Nav aria-label="Keel">
          <NavList>
            {NAV.map((entry) =>
              'links' in entry ? (
                <NavExpandable
                  key={entry.title}
                  title={entry.title}
                  groupId={entry.title}
                  isExpanded
                  isActive={entry.links.some((l) => isActive(pathname, l.path))}
                >
                  {entry.links.map(link)}
                </NavExpandable>
              ) : (
                link(entry)
              ),
            )}
          </NavList>
        </Nav>
      </PageSidebarBody>
    </PageSidebar>
  );
}

function Header() {
  const { session, logout } = useAuth();
  return (
    <Masthead>
      <MastheadMain>
        <MastheadToggle>
          <PageToggleButton isHamburgerButton aria-label="Main navigation">
            <BarsIcon />
          </PageToggleButton>
        </MastheadToggle>
        <MastheadBrand>
          <MastheadLogo component="a" href="#/nodes" aria-label="Keel home">
            <span style={{ fontSize: 'var(--pf-t--global--font--size--xl)', fontWeight: 'bold' }}>Keel</span>
          </MastheadLogo>
        </MastheadBrand>
      </MastheadMain>
      <MastheadContent>
        <Toolbar isStatic>
          <ToolbarContent>
            <ToolbarGroup align={{ default: 'alignEnd' }} alignItems="center">
              <ToolbarItem alignSelf="center" data-testid="current-user">{session?.username}</ToolbarItem>
              <ToolbarItem>
                <Button variant="secondary" onClick={logout}>
                  Log out
                </Button>
              </ToolbarItem>
            </ToolbarGroup>
          </ToolbarContent>
        </Toolbar>
      </MastheadContent>
    </Masthead>
  );
}

export function AppShell() {
  return (
    <Page masthead={<Header />} sidebar={<Sidebar />} isManagedSidebar>
      <Outlet />
    </Page>
  );
}
